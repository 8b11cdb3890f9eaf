-- Devices, their certificates and the append-only history (docs/device-inventory.md, "Model").
create table device (
    id                text        primary key,
    owner             text        not null,
    platform          text        not null,
    os_version        text,
    -- os_version as four zero-padded integers, so list filters and gauges can compare it in SQL
    os_version_key    integer[],
    managed           boolean     not null,
    quarantined       boolean     not null default false,
    quarantine_reason text,
    quarantined_at    timestamptz,
    disk_encrypted    boolean,
    screen_lock       boolean,
    reported_at       timestamptz,
    report_received_at timestamptz,
    version           bigint      not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    constraint device_report_complete check (
        (reported_at is null) = (disk_encrypted is null)
        and (reported_at is null) = (screen_lock is null))
);
create index device_owner_idx on device (owner, id);

-- The posture lookup is one primary-key probe here plus one on device.
create table device_certificate (
    sha256    char(64) primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    device_id text     not null references device (id) on delete cascade,
    added_at  timestamptz not null
);
create index device_certificate_device_idx on device_certificate (device_id);

-- Append-only: the application only ever inserts here (and a trigger refuses the rest).
create table device_history (
    seq       bigserial   primary key,
    device_id text        not null,
    at        timestamptz not null,
    actor     text        not null,
    action    text        not null,
    reason    text,
    version   bigint      not null,
    changes   jsonb       not null
);
create index device_history_device_idx on device_history (device_id, seq);

create function device_history_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'device_history is append-only';
end $$;
create trigger device_history_no_update before update or delete on device_history
    for each row execute function device_history_append_only();
