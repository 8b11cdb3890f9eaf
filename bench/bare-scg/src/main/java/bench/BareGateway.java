package bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Spring Cloud Gateway with one route and nothing else: what Gatehouse is measured against. */
@SpringBootApplication
public class BareGateway {
    public static void main(String[] args) {
        SpringApplication.run(BareGateway.class, args);
    }
}
