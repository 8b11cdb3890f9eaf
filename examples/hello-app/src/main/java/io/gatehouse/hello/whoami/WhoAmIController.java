package io.gatehouse.hello.whoami;

import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import java.time.Clock;
import java.util.Objects;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: the "who you are" page; {@code GET /whoami.json}: the same facts as JSON. */
@RestController
class WhoAmIController {
    private final Clock clock;
    private final String signatureProvider;

    WhoAmIController(Clock clock, GatehouseVerifier verifier) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signatureProvider = verifier.signatureProvider();
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    String page(@AuthenticationPrincipal GatehouseIdentity identity) {
        return WhoAmIPage.render(WhoAmI.of(identity, clock, signatureProvider));
    }

    @GetMapping(path = "/whoami.json", produces = MediaType.APPLICATION_JSON_VALUE)
    WhoAmI json(@AuthenticationPrincipal GatehouseIdentity identity) {
        return WhoAmI.of(identity, clock, signatureProvider);
    }
}
