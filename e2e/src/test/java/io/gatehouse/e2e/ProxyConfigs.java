package io.gatehouse.e2e;

import io.gatehouse.testsupport.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy configurations Gatehouse ships ({@code examples/proxies/}), filled in the way their headers say: the
 * nginx server block through envsubst-style {@code ${NAME}} substitution of exactly the documented names, the
 * Caddyfile through Caddy's own {@code {$NAME}} environment placeholders. Nothing else of the shipped text is changed,
 * so a test of the result is a test of what users copy. Needs Debian's {@code nginx} (1.22, with auth_request) and
 * {@code caddy} (2.6); scripts/install-prerequisites installs both.
 */
final class ProxyConfigs {

    static final Set<String> NGINX_NAMES = Set.of("PUBLIC_HOST", "LISTEN", "TLS_CERT", "TLS_KEY", "DEVICE_CA", "APP",
            "GATEHOUSE_AUTHZ", "GATEHOUSE_AUTHZ_NAME", "GATEHOUSE_PUBLIC", "GATEHOUSE_CA", "NGINX_CLIENT_CERT",
            "NGINX_CLIENT_KEY");
    static final Set<String> CADDY_NAMES = Set.of("PUBLIC_HOST", "PUBLIC_PORT", "BIND", "TLS_CERT", "TLS_KEY",
            "DEVICE_CA", "APP", "GATEHOUSE_AUTHZ", "GATEHOUSE_AUTHZ_NAME", "GATEHOUSE_PUBLIC", "GATEHOUSE_CA",
            "CADDY_CLIENT_CERT", "CADDY_CLIENT_KEY");
    private static final Pattern NGINX_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
    private static final Pattern CADDY_PLACEHOLDER = Pattern.compile("\\{\\$([A-Z_]+)(?::[^}]*)?}");

    private ProxyConfigs() {
    }

    static Path root() {
        return Path.of(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();
    }

    static Path shippedNginx() {
        return root().resolve("examples/proxies/nginx/gatehouse-auth-request.conf");
    }

    static Path shippedCaddyfile() {
        return root().resolve("examples/proxies/caddy/Caddyfile");
    }

    /** The placeholder names a shipped file uses outside its comments. */
    static Set<String> placeholders(Path file, Pattern pattern) {
        Set<String> names = new TreeSet<>();
        for (String line : read(file).split("\n")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = pattern.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static Set<String> nginxPlaceholders() {
        return placeholders(shippedNginx(), NGINX_PLACEHOLDER);
    }

    static Set<String> caddyPlaceholders() {
        return placeholders(shippedCaddyfile(), CADDY_PLACEHOLDER);
    }

    /**
     * Writes {@code dir/gatehouse.conf} (the shipped server block with {@code values} substituted; every documented
     * name must be given) and {@code dir/nginx.conf} (a main file running one worker in the foreground with pid, logs
     * and temp files under {@code dir}, including the server block), and returns the main file.
     */
    static Path nginx(Path dir, Map<String, String> values) {
        if (!values.keySet().equals(NGINX_NAMES)) {
            throw new IllegalArgumentException("give exactly " + new TreeSet<>(NGINX_NAMES) + ", not "
                    + new TreeSet<>(values.keySet()));
        }
        Matcher m = NGINX_PLACEHOLDER.matcher(read(shippedNginx()));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        try {
            Files.createDirectories(dir.resolve("temp"));
            Files.writeString(dir.resolve("gatehouse.conf"), out);
            String d = dir.toAbsolutePath().toString();
            Path main = dir.resolve("nginx.conf");
            Files.writeString(main, """
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log info;
                    events { worker_connections 1024; }
                    http {
                      access_log %1$s/access.log;
                      client_body_temp_path %1$s/temp/body;
                      proxy_temp_path %1$s/temp/proxy;
                      fastcgi_temp_path %1$s/temp/fastcgi;
                      uwsgi_temp_path %1$s/temp/uwsgi;
                      scgi_temp_path %1$s/temp/scgi;
                      include %1$s/gatehouse.conf;
                    }
                    """.formatted(d));
            return main;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code nginx -t} on a main file from {@link #nginx}; throws with nginx's words when it refuses. */
    static void nginxTest(Path main) {
        Path dir = main.getParent();
        Processes.run(dir, dir.resolve("nginx-t.log"), Duration.ofSeconds(30), nginxCommand(main, "-t"), Map.of());
    }

    static List<String> nginxCommand(Path main, String... extra) {
        List<String> command = new java.util.ArrayList<>(List.of(nginxBinary(), "-c", main.toString(), "-p",
                main.getParent().toString() + "/", "-e", main.getParent().resolve("error.log").toString()));
        command.addAll(List.of(extra));
        return command;
    }

    /** The environment for the shipped Caddyfile (every documented name must be given), with Caddy's admin off. */
    static Map<String, String> caddyEnvironment(Map<String, String> values) {
        if (!values.keySet().equals(CADDY_NAMES)) {
            throw new IllegalArgumentException("give exactly " + new TreeSet<>(CADDY_NAMES) + ", not "
                    + new TreeSet<>(values.keySet()));
        }
        Map<String, String> env = new LinkedHashMap<>(values);
        env.put("CADDY_ADMIN", "off");
        return env;
    }

    /** {@code caddy adapt} of the shipped Caddyfile with {@code env}; returns the JSON config, throws when refused. */
    static String caddyAdapt(Path dir, Map<String, String> env) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve("caddy.json");
            Path log = dir.resolve("caddy-adapt.log");
            Processes.run(dir, log, Duration.ofSeconds(30), List.of(caddyBinary(), "adapt", "--config",
                    shippedCaddyfile().toString(), "--adapter", "caddyfile", "--validate"), caddyProcessEnv(dir, env));
            String output = Files.readString(log);
            int start = output.indexOf('{');
            Files.writeString(json, start < 0 ? "" : output.substring(start));
            return start < 0 ? "" : output.substring(start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Caddy's HOME and XDG dirs under {@code dir}: autosave and storage never land in the real home. */
    static Map<String, String> caddyProcessEnv(Path dir, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("HOME", dir.toAbsolutePath().toString());
        all.put("XDG_CONFIG_HOME", dir.resolve("config").toAbsolutePath().toString());
        all.put("XDG_DATA_HOME", dir.resolve("data").toAbsolutePath().toString());
        return all;
    }

    static String nginxBinary() {
        return binary("nginx", List.of("/usr/sbin/nginx", "/usr/bin/nginx"), "nginx-light");
    }

    static String caddyBinary() {
        return binary("caddy", List.of("/usr/bin/caddy", "/usr/local/bin/caddy"), "caddy");
    }

    private static String binary(String name, List<String> candidates, String debianPackage) {
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " is needed (Debian: apt-get install -y " + debianPackage
                + "; scripts/install-prerequisites installs it)");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
