package io.gatehouse.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debian's nginx (1.22, auth_request) with the shipped {@code examples/proxies/nginx/gatehouse-auth-request.conf}
 * in front of hello-app, asking the packaged gateway's decision listener ({@code /authz/nginx}); the tests are
 * {@link DecisionProxyContract}'s. nginx passes only 2xx, 401 and 403 from the decision: the login is the config's
 * {@code error_page 401} (302 to Gatehouse's {@code X-Gatehouse-Login} with its cookie), the deny page its
 * {@code error_page 403} (reasons and request id from Gatehouse's headers).
 */
class NginxAuthRequestIT extends DecisionProxyContract {

    @Override
    String name() {
        return "nginx";
    }

    @Override
    String dialect() {
        return "nginx";
    }

    @Override
    String authzPath() {
        return "/authz/nginx";
    }

    @Override
    ProxyProcess startProxy(ProxiedStack stack) {
        var proxyClient = stack.pki.issueDevice("nginx-proxy");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PUBLIC_HOST", ProxiedStack.HOST);
        values.put("LISTEN", "127.0.0.1:" + stack.proxyPort);
        values.put("TLS_CERT", stack.pki.server().certificatePem().toString());
        values.put("TLS_KEY", stack.pki.server().keyPem().toString());
        values.put("DEVICE_CA", stack.pki.caPem().toString());
        values.put("APP", "127.0.0.1:" + stack.helloPort);
        values.put("GATEHOUSE_AUTHZ", "127.0.0.1:" + stack.authzPort);
        values.put("GATEHOUSE_AUTHZ_NAME", "localhost");
        values.put("GATEHOUSE_PUBLIC", "127.0.0.1:" + stack.publicPort);
        values.put("GATEHOUSE_CA", stack.pki.caPem().toString());
        values.put("NGINX_CLIENT_CERT", proxyClient.certificatePem().toString());
        values.put("NGINX_CLIENT_KEY", proxyClient.keyPem().toString());
        Path main = ProxyConfigs.nginx(stack.dir.resolve("nginx"), values);
        ProxyConfigs.nginxTest(main);
        return ProxyProcess.start("nginx", stack.dir.resolve("nginx"), ProxyConfigs.nginxCommand(main), Map.of(),
                stack.proxyPort);
    }
}
