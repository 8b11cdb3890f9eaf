package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.web.ApiProblem;
import io.gatehouse.deviceinventory.web.AuthProperties;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Who may post a posture report for which device. A {@code devices:report} token is an agent's: it reports for the
 * one device its {@code inventory.auth.device-claim} claim (default {@code device_id}) names, or not at all, since
 * a report is what makes a device trusted. A fleet reporter (an MDM connector) holds {@code devices:report-any}
 * and reports for every device. Refusals are 403 problems: {@code device-binding-missing} (no claim),
 * {@code device-binding-mismatch} (another device).
 */
@Component
class ReportBinding {

    static final String ANY = "SCOPE_devices:report-any";

    private final String claim;

    ReportBinding(AuthProperties auth) {
        this.claim = Objects.requireNonNull(auth, "auth").deviceClaim();
    }

    void check(String deviceId, JwtAuthenticationToken token) {
        boolean fleet = token.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(ANY::equals);
        if (fleet) {
            return;
        }
        Object bound = token.getToken().getClaims().get(claim);
        if (bound == null || bound.toString().isBlank()) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "device-binding-missing", "a devices:report token reports only"
                    + " for the device named in its \"" + claim + "\" claim, and this token names none; a fleet"
                    + " reporter needs devices:report-any", List.of());
        }
        if (!bound.toString().equals(deviceId)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "device-binding-mismatch", "this token reports for device \""
                    + bound + "\" (claim \"" + claim + "\"), not for \"" + deviceId + "\"", List.of());
        }
    }
}
