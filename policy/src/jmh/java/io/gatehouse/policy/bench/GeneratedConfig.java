package io.gatehouse.policy.bench;

/**
 * Writes a config of {@code n} routes with five rules each (three allow, two deny), using most criteria.
 * Every fourth route has a CEL allow rule instead of its third allow rule (13 CEL rules in 250). Every odd
 * route is an API sub-route of the even route before it: same host, a longer path prefix.
 */
final class GeneratedConfig {
    private GeneratedConfig() {
    }

    static String yaml(int n) {
        return yaml(n, true);
    }

    /** With {@code cel} false, the routes that would have a CEL rule get the office rule instead. */
    static String yaml(int n, boolean withCel) {
        StringBuilder y = new StringBuilder("routes:\n");
        for (int i = 0; i < n; i++) {
            boolean cel = withCel && i % 4 == 0;
            boolean api = i % 2 == 1;
            String host = "app-" + (api ? i - 1 : i) + ".corp.example";
            y.append("  - id: app-").append(i).append('\n')
                    .append("    from: https://").append(host).append(api ? "/api/v" + i : "").append('\n')
                    .append("    to: http://app-").append(i).append(".internal:8080\n")
                    .append("    policy:\n      allow:\n")
                    .append("        - name: rule-").append(i).append("-allow-admins\n")
                    .append("          emails: [admin-").append(i).append("@corp.example, root@corp.example]\n")
                    .append("          max_auth_age: 15m\n")
                    .append("        - name: rule-").append(i).append("-allow-finance\n")
                    .append("          groups: [finance, auditors-").append(i).append("]\n")
                    .append("          methods: [GET, HEAD, POST]\n")
                    .append("          paths: [\"/reports/**\", \"/api/*/items/**\"]\n")
                    .append("          device: {trust: high, disk_encrypted: true, min_os_version: {macOS: \"15.2\", Windows: \"10.0.22631\"}, max_report_age: 24h}\n");
            if (cel) {
                y.append("        - name: rule-").append(i).append("-allow-cel\n")
                        .append("          cel: 'identity.email.endsWith(\"@corp.example\") && request.method == \"GET\"'\n");
            } else {
                y.append("        - name: rule-").append(i).append("-allow-office\n")
                        .append("          domains: [corp.example]\n")
                        .append("          source_ips: [\"10.20.0.0/16\", \"2001:db8:20::/48\"]\n")
                        .append("          time: {days: [mon, tue, wed, thu, fri], hours: \"07:00-20:00\", zone: Europe/Berlin}\n");
            }
            y.append("      deny:\n")
                    .append("        - name: rule-").append(i).append("-deny-admin\n")
                    .append("          paths: [\"/admin/**\"]\n")
                    .append("          not: {source_ips: [\"10.20.0.0/16\"]}\n")
                    .append("        - name: rule-").append(i).append("-deny-contractors\n")
                    .append("          any: [{groups: [contractors]}, {domains: [partner.example]}]\n");
        }
        return y.toString();
    }
}
