package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testsupport.DevPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped proxy configurations ({@code examples/proxies/}) are accepted by the real nginx ({@code nginx -t}) and
 * Caddy ({@code caddy adapt --validate}) once their documented names are filled in, use exactly those names, and say
 * what the decision service needs (the facts headers, the device certificate, the assertion, /.gatehouse/*).
 */
class ShippedProxyConfigsTest {

    @TempDir
    Path dir;

    private Map<String, String> nginxValues(DevPki pki) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("PUBLIC_HOST", "hello.localhost");
        v.put("LISTEN", "127.0.0.1:38990");
        v.put("TLS_CERT", pki.server().certificatePem().toString());
        v.put("TLS_KEY", pki.server().keyPem().toString());
        v.put("DEVICE_CA", pki.caPem().toString());
        v.put("APP", "127.0.0.1:38991");
        v.put("GATEHOUSE_AUTHZ", "127.0.0.1:38992");
        v.put("GATEHOUSE_AUTHZ_NAME", "localhost");
        v.put("GATEHOUSE_PUBLIC", "127.0.0.1:38993");
        v.put("GATEHOUSE_CA", pki.caPem().toString());
        DevPki.Issued nginx = pki.issueDevice("nginx");
        v.put("NGINX_CLIENT_CERT", nginx.certificatePem().toString());
        v.put("NGINX_CLIENT_KEY", nginx.keyPem().toString());
        return v;
    }

    @Test
    void nginxWhenFilledInThenNginxAcceptsIt() throws IOException {
        DevPki pki = DevPki.create(dir.resolve("pki"));

        assertThat(ProxyConfigs.nginxPlaceholders()).isEqualTo(new java.util.TreeSet<>(ProxyConfigs.NGINX_NAMES));
        Path main = ProxyConfigs.nginx(dir.resolve("nginx"), nginxValues(pki));
        ProxyConfigs.nginxTest(main);

        String conf = Files.readString(dir.resolve("nginx/gatehouse.conf"));
        String directives = conf.lines().filter(l -> !l.strip().startsWith("#"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(directives).doesNotContain("${")
                .contains("auth_request /_gatehouse_authz;", "server 127.0.0.1:38992;",
                        "proxy_pass https://gatehouse_decision/authz/nginx;", "keepalive 16;",
                        "proxy_pass_request_body off;", "proxy_set_header X-Original-URL $scheme://$http_host$request_uri;",
                        "proxy_set_header X-Original-Method $request_method;",
                        "proxy_set_header X-Real-IP $remote_addr;",
                        "proxy_set_header X-Forwarded-Client-Cert $ssl_client_escaped_cert;",
                        "ssl_verify_client optional;",
                        "auth_request_set $gh_assertion $upstream_http_x_gatehouse_assertion;",
                        "proxy_set_header X-Gatehouse-Assertion $gh_assertion;",
                        "error_page 401 = @gatehouse_login;", "return 302 $gh_login;",
                        "location /.gatehouse/ {", "server 127.0.0.1:38993;", "proxy_pass https://gatehouse_public;",
                        "server 127.0.0.1:38991;", "proxy_pass http://protected_app;");
    }

    @Test
    void nginxWhenBrokenThenNginxTestRefusesIt() {
        DevPki pki = DevPki.create(dir.resolve("pki"));
        Map<String, String> values = nginxValues(pki);
        values.put("DEVICE_CA", dir.resolve("no-such-ca.pem").toString());
        Path main = ProxyConfigs.nginx(dir.resolve("nginx"), values);

        assertThatThrownBy(() -> ProxyConfigs.nginxTest(main)).hasMessageContaining("no-such-ca.pem");
    }

    private Map<String, String> caddyValues(DevPki pki) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("PUBLIC_HOST", "hello.localhost");
        v.put("PUBLIC_PORT", "38994");
        v.put("BIND", "127.0.0.1");
        v.put("TLS_CERT", pki.server().certificatePem().toString());
        v.put("TLS_KEY", pki.server().keyPem().toString());
        v.put("DEVICE_CA", pki.caPem().toString());
        v.put("APP", "127.0.0.1:38991");
        v.put("GATEHOUSE_AUTHZ", "127.0.0.1:38992");
        v.put("GATEHOUSE_AUTHZ_NAME", "localhost");
        v.put("GATEHOUSE_PUBLIC", "127.0.0.1:38993");
        v.put("GATEHOUSE_CA", pki.caPem().toString());
        DevPki.Issued caddy = pki.issueDevice("caddy");
        v.put("CADDY_CLIENT_CERT", caddy.certificatePem().toString());
        v.put("CADDY_CLIENT_KEY", caddy.keyPem().toString());
        return v;
    }

    @Test
    void caddyWhenFilledInThenCaddyAdaptsAndValidatesIt() {
        DevPki pki = DevPki.create(dir.resolve("pki"));

        java.util.Set<String> names = new java.util.TreeSet<>(ProxyConfigs.CADDY_NAMES);
        names.add("CADDY_ADMIN");
        assertThat(ProxyConfigs.caddyPlaceholders()).isEqualTo(names);
        String json = ProxyConfigs.caddyAdapt(dir.resolve("caddy"),
                ProxyConfigs.caddyEnvironment(caddyValues(pki)));

        assertThat(json).contains("\"uri\":\"/authz/forward-auth\"", "\"X-Gatehouse-Assertion\"",
                "{http.request.tls.client.certificate_der_base64}", "\"verify_if_given\"", "/.gatehouse/*",
                "127.0.0.1:38992", "127.0.0.1:38993", "\"admin\":{\"disabled\":true}");
    }

    @Test
    void caddyWhenBrokenThenCaddyRefusesIt() {
        DevPki pki = DevPki.create(dir.resolve("pki"));
        Map<String, String> values = caddyValues(pki);
        values.put("TLS_KEY", dir.resolve("no-such-key.pem").toString());

        assertThatThrownBy(() -> ProxyConfigs.caddyAdapt(dir.resolve("caddy"), ProxyConfigs.caddyEnvironment(values)))
                .hasMessageContaining("no-such-key.pem");
    }
}
