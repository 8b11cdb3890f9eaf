package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.problem.Problems;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.RoutedDecision;
import io.gatehouse.policy.model.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Stage 4, DECIDE (docs/design.md, "The request path"): evaluates the policy on every request, never cached per session.
 * Steps:
 * <ol>
 *   <li>Reserved paths ({@code /.gatehouse/}, {@code /.well-known/gatehouse/}) belong to the gateway, and the
 *       management port is not routed: neither is decided (RECORD decided so once:
 *       {@link RequestContext#stagesApply()}).</li>
 *   <li>Take the config in force once, build the {@code policy.Request} ({@link PolicyRequests}), decide, and record
 *       decision, route (from the same lookup, {@code CompiledConfig.decideRouted}), config version and the route's
 *       shadow decision in the {@link RequestContext}; a disagreement with the shadow is counted in
 *       {@code gatehouse_decisions_shadow_disagreements_total{route,direction}} and acts on nothing.</li>
 *   <li>Let through when allowed or when an audit-mode route denied ({@link Decision#letThrough()}).</li>
 *   <li>Browser login (when configured): a top-level navigation ({@link BrowserNavigation}) that is anonymous and
 *       matched no rule is sent to the IdP; one whose session login is too old for a {@code max_auth_age} rule is
 *       sent there for step-up. Any other request failing on {@code max_auth_age} gets 401 with
 *       {@code error="insufficient_user_authentication"}.</li>
 *   <li>Otherwise answer: no route → 404; anonymous and no allow rule matched → 401 with
 *       {@code WWW-Authenticate: Bearer} (the route is not satisfied anonymously, and logging in might change the
 *       answer); else — an identified caller, or a named deny rule that matched — 403 with the reasons and the
 *       refusing rules' remedies, as HTML for a browser or problem+json. An anonymous caller's 401 or 403
 *       carries no policy ({@link VisibleReasons}); the decision log has every reason.</li>
 * </ol>
 * Anything that throws here reaches {@link GatewayErrorHandler}: a 500 with the request id, never a pass.
 */
@Component
public final class DecideStep implements RequestStep {

    private final LiveConfig config;
    private final Clock clock;
    private final MeterRegistry meters;
    private final @Nullable LoginStart browserLogin;
    /** One counter per route × outcome × enforced; route ids come from the config, so the set stays small. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** One counter per route × direction (would-allow, would-deny) of a shadow policy's disagreement. */
    private final Map<String, Counter> shadowCounters = new ConcurrentHashMap<>();

    public DecideStep(LiveConfig config, Clock clock, MeterRegistry meters,
                           ObjectProvider<LoginStart> browserLogin) {
        this.browserLogin = browserLogin.getIfAvailable();
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public Mono<Void> apply(ServerWebExchange exchange, RequestContext context, Next next) {
        if (!context.stagesApply()) {
            return next.proceed(exchange); // RECORD decided: the management port, or a path reserved for the gateway
        }
        CompiledConfig snapshot = config.current();
        Request request = PolicyRequests.from(exchange, context, clock.instant());
        context.asked(request, snapshot.claimsRead()); // the decision log's facts: what a replay decides again
        RoutedDecision routed = snapshot.decideRouted(request);
        Decision decision = routed.decision();
        Route route = routed.route();
        context.decided(decision, route, snapshot.version(), routed.shadow());
        count(decision);
        DecisionCounters.countDisagreement(shadowCounters, meters, routed);
        if (decision.letThrough() && route != null) {
            return next.proceed(exchange);
        }
        return refuse(exchange, context, decision, route);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, RequestContext context, Decision decision, @Nullable Route route) {
        Verdict verdict = Verdicts.of(decision, route, context, BrowserNavigation.test(exchange.getRequest()),
                browserLogin != null);
        if (verdict instanceof Verdict.Login login && browserLogin != null) {
            return browserLogin.start(exchange, login.stepUp());
        }
        if (!(verdict instanceof Verdict.Refused refused)) {
            throw new IllegalStateException("a refusal was expected, not " + verdict);
        }
        if (refused.wwwAuthenticate() != null) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, refused.wwwAuthenticate());
        }
        // 401s are problem+json whatever the client accepts; 403 and 404 are a page for a browser.
        return refused.kind() == Verdict.Kind.UNAUTHENTICATED || refused.kind() == Verdict.Kind.STEP_UP
                ? Problems.writeJson(exchange, refused.problem()) : Problems.write(exchange, refused.problem());
    }

    private void count(Decision decision) {
        DecisionCounters.count(counters, meters, decision);
    }
}
