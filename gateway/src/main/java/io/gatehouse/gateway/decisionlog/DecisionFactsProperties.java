package io.gatehouse.gateway.decisionlog;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.replay.DecisionFacts;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.decision-log.facts.*}: the decision facts each line carries for {@code gatehouse-policy replay}
 * (docs/operations.md, "Decision facts (for replay)"). {@code enabled} (default true) writes them; false writes
 * {@code "facts": {..., "left_out": ["all"]}} so that a replay knows they were switched off. {@code omit-claims}
 * (default none) names token claims that never reach the log even when the config reads them; a line records each one
 * it left out.
 *
 * @param enabled whether decision-log lines carry the request facts a replay needs (default true)
 * @param omitClaims token claims never written to the decision log's facts, even when a rule reads them
 */
@ConfigurationProperties("gatehouse.decision-log.facts")
public record DecisionFactsProperties(@Nullable Boolean enabled, @Nullable List<String> omitClaims) {

    public DecisionFactsProperties {
        enabled = enabled == null || enabled;
        omitClaims = omitClaims == null ? List.of() : List.copyOf(omitClaims);
        for (String claim : omitClaims) {
            if (claim == null || claim.isBlank()) {
                throw new IllegalArgumentException("gatehouse.decision-log.facts.omit-claims: a claim name is blank");
            }
        }
    }

    /** The facts of a decided request, as this configuration allows them. */
    DecisionFacts facts(Request request, ClaimsRead read) {
        return enabled ? DecisionFacts.of(request, read, Set.copyOf(omitClaims)) : DecisionFacts.off();
    }
}
