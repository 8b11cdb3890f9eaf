package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.web.Actor;
import io.gatehouse.deviceinventory.web.Versions;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/devices}: register and update devices, list them, take posture reports, quarantine and release.
 * Scopes are enforced by the security configuration; every answer carrying one device has its {@code ETag}.
 */
@RestController
@RequestMapping(path = "/v1/devices", produces = "application/json")
class DeviceController {

    private final DeviceService service;
    private final ReportBinding binding;

    DeviceController(DeviceService service, ReportBinding binding) {
        this.service = Objects.requireNonNull(service, "service");
        this.binding = Objects.requireNonNull(binding, "binding");
    }

    @GetMapping
    DeviceView.PageView list(@RequestParam(required = false) @Nullable String owner,
                             @RequestParam(required = false) @Nullable String trust,
                             @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "50") int size) {
        return service.list(owner, trust, page, size);
    }

    @GetMapping("/{id}")
    ResponseEntity<DeviceView> get(@PathVariable String id) {
        return ok(service.get(id));
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<DeviceView> put(@PathVariable String id, @RequestBody DeviceRequests.Upsert body,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                   @AuthenticationPrincipal Jwt jwt) {
        DeviceService.Written w = service.upsert(id, body, Versions.ifMatch(ifMatch), Actor.of(jwt));
        if (w.created()) {
            return ResponseEntity.created(URI.create("/v1/devices/" + id))
                    .eTag(Versions.etag(w.device().version())).body(w.device());
        }
        return ok(w.device());
    }

    @PostMapping(path = "/{id}/reports", consumes = "application/json")
    ResponseEntity<DeviceView> report(@PathVariable String id, @RequestBody DeviceRequests.Report body,
                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                      JwtAuthenticationToken token) {
        binding.check(id, token);
        return ok(service.report(id, body, Versions.ifMatch(ifMatch), Actor.of(token.getToken())));
    }

    @PostMapping(path = "/{id}/quarantine", consumes = "application/json")
    ResponseEntity<DeviceView> quarantine(@PathVariable String id, @RequestBody DeviceRequests.Reason body,
                                          @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                          @AuthenticationPrincipal Jwt jwt) {
        return ok(service.quarantine(id, body, Versions.ifMatch(ifMatch), Actor.of(jwt)));
    }

    @PostMapping(path = "/{id}/release")
    ResponseEntity<DeviceView> release(@PathVariable String id,
                                       @RequestBody(required = false) DeviceRequests.@Nullable Reason body,
                                       @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                       @AuthenticationPrincipal Jwt jwt) {
        DeviceRequests.Reason reason = body == null ? new DeviceRequests.Reason(null) : body;
        return ok(service.release(id, reason, Versions.ifMatch(ifMatch), Actor.of(jwt)));
    }

    private static ResponseEntity<DeviceView> ok(DeviceView view) {
        return ResponseEntity.ok().eTag(Versions.etag(view.version())).body(view);
    }
}
