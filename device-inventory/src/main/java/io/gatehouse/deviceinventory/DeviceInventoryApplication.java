package io.gatehouse.deviceinventory;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Entry point of {@code java -jar device-inventory.jar}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeviceInventoryApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeviceInventoryApplication.class, args);
    }

    /** The one source of time: trust ages with it, and tests replace it with a fixed one. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
