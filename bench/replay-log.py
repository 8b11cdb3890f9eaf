#!/usr/bin/env python3
"""Writes a synthetic decision log for `gatehouse-policy replay` timing (docs/performance.md, "Replay").

Usage: replay-log.py LINES OUT_DIR
Writes OUT_DIR/decisions.jsonl (LINES lines in the gateway's shape, docs/decision-log.schema.json, with facts),
OUT_DIR/in-force.yaml (the config the lines were decided by) and OUT_DIR/candidate.yaml (payroll opens to the
finance group only). The mix: a third changes rule, a quarter flips allow -> deny, a tenth deny -> allow, the rest
(wiki) stays the same; one line in twenty has no facts (written before they existed) and cannot replay.
"""
import json
import random
import sys
import uuid

IN_FORCE = """routes:
  - id: payroll
    from: https://payroll.corp.example
    to: http://payroll.internal
    policy:
      deny:
        - name: no-contractors
          cel: 'has(identity.claims.kind) && identity.claims.kind[0] == "contractor"'
      allow:
        - name: staff
          domains: [corp.example]
          device: {trust: high, max_report_age: 7d}
  - id: wiki
    from: https://wiki.corp.example
    to: http://wiki.internal
    policy:
      allow:
        - name: everyone
          authenticated: true
"""
CANDIDATE = IN_FORCE.replace("""        - name: staff
          domains: [corp.example]""", """        - name: finance
          groups: [finance]""")


def line(rng, i):
    kind = rng.random()
    host = "wiki.corp.example" if kind >= 0.68 else "payroll.corp.example"
    groups, email = (["finance", "staff"], "pat%d@corp.example" % i)
    decision, rule, route = "allow", "staff", "payroll"
    reasons = ["email domain corp.example is one of [corp.example]", "device trust is high"]
    if kind < 0.33:
        pass  # finance on corp: allow by staff, then by finance: rule changed
    elif kind < 0.58:
        groups = ["staff"]  # allow by staff, then denied: not in finance
    elif kind < 0.68:
        email = "ext%d@partner.example" % i  # denied by domain, then allowed by finance
        decision, rule = "deny", None
        reasons = ["no allow rule matched", "email domain partner.example is not one of [corp.example]"]
    if host == "wiki.corp.example":
        route, rule, reasons = "wiki", "everyone", ["authenticated as " + email]
    path = "/reports/%d" % (i % 1000)
    time = "2026-12-06T%02d:%02d:%02d.%03dZ" % (i // 3600000 % 24, i // 60000 % 60, i // 1000 % 60, i % 1000)
    facts = {
        "request": {"method": "GET", "url": "https://%s%s" % (host, path), "source_ip": "10.0.%d.%d" % (i // 250 % 250, i % 250),
                    "time": time},
        "identity": {"sub": "u-%d" % i, "email": email, "email_verified": True, "groups": groups,
                     "claims": {"kind": ["employee"]}, "claims_captured": ["kind"], "auth_time": "2026-12-06T00:00:00Z"},
        "device": {"id": "dev-%d" % (i % 5000), "known": True, "managed": True, "trust": "high",
                   "disk_encrypted": True, "screen_lock": True, "os": "macOS", "os_version": "15.3",
                   "owner": email, "reported_at": "2026-12-05T23:00:00Z", "report_age_s": 3600},
        "device_notes": [],
        "left_out": [],
    }
    event = {
        "timestamp": time, "request_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "trace_id": None,
        "who": {"subject": "u-%d" % i, "email": email, "groups": groups, "auth": "bearer"},
        "what": {"method": "GET", "host": host, "path": path, "route": route},
        "why": {"decision": decision, "enforced": True, "mode": "enforce", "rule": rule, "reasons": reasons},
        "where": {"source_ip": facts["request"]["source_ip"], "user_agent": "Mozilla/5.0", "device_id": "dev-%d" % (i % 5000),
                  "device_trust": "high", "tls": "TLSv1.3"},
        "result": {"status": 200 if decision == "allow" else 403, "latency_ms": 1.25},
        "policy": {"version": "0" * 64},
        "assertion_jti": None,
        "facts": facts if rng.random() > 0.05 else None,
    }
    return json.dumps(event, separators=(",", ":"))


def main():
    lines, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(21)
    with open(out + "/in-force.yaml", "w") as f:
        f.write(IN_FORCE)
    with open(out + "/candidate.yaml", "w") as f:
        f.write(CANDIDATE)
    with open(out + "/decisions.jsonl", "w") as f:
        for i in range(lines):
            f.write(line(rng, i))
            f.write("\n")


if __name__ == "__main__":
    main()
