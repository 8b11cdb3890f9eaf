package io.gatehouse.gateway.management;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start the gateway unless the management endpoints have a port of their own (docs/design.md, "Reserved
 * paths"). On the public port, {@code /actuator/**} would sit next to the routed hosts and answer anyone who
 * reaches the gateway; on a separate port, a NetworkPolicy keeps it inside the cluster. Runs after the
 * configuration is loaded and before any port is bound, with Spring Boot's own rule for "same port".
 */
public final class ManagementPortGuard implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!isGateway(application)) {
            return;
        }
        ManagementPortType type = ManagementPortType.get(environment);
        if (type != ManagementPortType.DIFFERENT) {
            throw new IllegalStateException(String.format(
                    "management.server.port (%s) must be set and differ from server.port (%s): health and metrics"
                            + " never share the public listener",
                    environment.getProperty("management.server.port"), environment.getProperty("server.port")));
        }
    }

    /** The guard is on the gateway's classpath only, but a test may start some other app in the same JVM. */
    private static boolean isGateway(SpringApplication application) {
        return application.getAllSources().stream()
                .anyMatch(s -> s instanceof Class<?> c && c.getName().startsWith("io.gatehouse.gateway"));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
