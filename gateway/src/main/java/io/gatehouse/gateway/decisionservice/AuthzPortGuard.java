package io.gatehouse.gateway.decisionservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start the gateway when a decision-service port ({@code gatehouse.authz.http.port},
 * {@code gatehouse.authz.grpc.port}) equals {@code server.port}, {@code management.server.port} or the other
 * decision-service port (docs/design-next.md §2.1): the decision service never shares a listener, so its
 * {@code /authz/*} paths can never be reached on the public one, nor the public routes on it. Runs before any port
 * is bound, like {@code management.ManagementPortGuard}. Port 0 (random, tests) never clashes.
 */
public final class AuthzPortGuard implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (application.getAllSources().stream()
                .noneMatch(s -> s instanceof Class<?> c && c.getName().startsWith("io.gatehouse.gateway"))) {
            return;
        }
        check(environment.getProperty("gatehouse.authz.http.port"),
                environment.getProperty("gatehouse.authz.grpc.port"), environment.getProperty("server.port", "8080"), environment.getProperty("management.server.port"));
    }

    /** Throws {@link IllegalStateException} naming both keys when two ports are the same. */
    static void check(@Nullable String http, @Nullable String grpc, @Nullable String server,
                      @Nullable String management) {
        record Port(String key, @Nullable String value) {
        }
        List<Port> authz = new ArrayList<>();
        authz.add(new Port("gatehouse.authz.http.port", http));
        authz.add(new Port("gatehouse.authz.grpc.port", grpc));
        List<Port> others = List.of(new Port("server.port", server), new Port("management.server.port", management),
                authz.get(1));
        for (Port mine : authz) {
            if (blank(mine.value()) || "0".equals(mine.value().trim())) {
                continue;
            }
            for (Port other : others) {
                if (other != mine && !blank(other.value())
                        && Objects.equals(mine.value().trim(), other.value().trim())) {
                    throw new IllegalStateException(String.format(
                            "%s (%s) equals %s: the decision service listens on a port of its own, never on the"
                                    + " public or management listener", mine.key(), mine.value().trim(), other.key()));
                }
            }
        }
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
