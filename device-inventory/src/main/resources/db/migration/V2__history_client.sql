-- The OAuth2 client that made the change (azp / client_id), next to the token subject: a service account's
-- subject is often an opaque id, its client id says which integration (MDM connector, admin console) it was.
alter table device_history add column client text;
