package io.gatehouse.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's Caddy (2.6.2, forward_auth) with the shipped {@code examples/proxies/caddy/Caddyfile} in front of
 * hello-app, asking the packaged gateway's decision listener ({@code /authz/forward-auth}); the tests are
 * {@link DecisionProxyContract}'s. Caddy returns a non-2xx decision to the client as it is (Gatehouse's 302 to the
 * IdP, its 403 page or problem+json), and passes a verified device certificate as base64 DER (design-next Q5).
 */
class CaddyForwardAuthIT extends DecisionProxyContract {

    @Override
    String name() {
        return "caddy";
    }

    @Override
    String dialect() {
        return "forward-auth";
    }

    @Override
    String authzPath() {
        return "/authz/forward-auth";
    }

    @Override
    ProxyProcess startProxy(ProxiedStack stack) {
        var proxyClient = stack.pki.issueDevice("caddy-proxy");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PUBLIC_HOST", ProxiedStack.HOST);
        values.put("PUBLIC_PORT", Integer.toString(stack.proxyPort));
        values.put("BIND", "127.0.0.1");
        values.put("TLS_CERT", stack.pki.server().certificatePem().toString());
        values.put("TLS_KEY", stack.pki.server().keyPem().toString());
        values.put("DEVICE_CA", stack.pki.caPem().toString());
        values.put("APP", "127.0.0.1:" + stack.helloPort);
        values.put("GATEHOUSE_AUTHZ", "127.0.0.1:" + stack.authzPort);
        values.put("GATEHOUSE_AUTHZ_NAME", "localhost");
        values.put("GATEHOUSE_PUBLIC", "127.0.0.1:" + stack.publicPort);
        values.put("GATEHOUSE_CA", stack.pki.caPem().toString());
        values.put("CADDY_CLIENT_CERT", proxyClient.certificatePem().toString());
        values.put("CADDY_CLIENT_KEY", proxyClient.keyPem().toString());
        Path dir = stack.dir.resolve("caddy");
        Map<String, String> env = ProxyConfigs.caddyEnvironment(values);
        ProxyConfigs.caddyAdapt(dir, env);
        return ProxyProcess.start("caddy", dir, List.of(ProxyConfigs.caddyBinary(), "run", "--config",
                ProxyConfigs.shippedCaddyfile().toString(), "--adapter", "caddyfile"),
                ProxyConfigs.caddyProcessEnv(dir, env), stack.proxyPort);
    }
}
