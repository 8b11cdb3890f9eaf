package io.gatehouse.deviceinventory.web;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start when actuator would share the API port: health and metrics belong on the management port
 * only (docs/design.md, "Reserved paths"). Both ports 0 (random, as in tests) are different ports.
 */
@Component
class ManagementPortCheck implements InitializingBean {

    private final Environment env;

    ManagementPortCheck(Environment env) {
        this.env = env;
    }

    @Override
    public void afterPropertiesSet() {
        String management = env.getProperty("management.server.port");
        String server = env.getProperty("server.port", "8080");
        if (management == null || management.isBlank()) {
            throw new IllegalStateException("management.server.port must be set (and differ from server.port)");
        }
        if (!management.trim().equals("0") && management.trim().equals(server.trim())) {
            throw new IllegalStateException("management.server.port (" + management
                    + ") must differ from server.port: actuator never answers on the API port");
        }
    }
}
