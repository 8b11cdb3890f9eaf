package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code domains: [..]}: the whole domain part of the user's email (after the last {@code @}) is one of
 * these, ASCII letters compared ignoring case (no other folding, see {@link AsciiFold}); an email the IdP did not
 * verify ({@link Identity#emailVerified()}) never matches. {@code corp.example} matches {@code pat@corp.example}, never {@code pat@evilcorp.example}
 * nor {@code pat@sub.corp.example}: a suffix match would let anyone who owns a look-alike domain in.
 */
public final class DomainsCriterion extends IdentityCriterion {
    private final Set<String> domains;
    private final String listed;
    private final String rule;

    private DomainsCriterion(Set<String> domains, String rule) {
        super(rule, "an email domain one of " + domains);
        this.domains = domains;
        this.listed = domains.toString();
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        if (items == null) {
            return null;
        }
        Set<String> set = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String d = items.get(i).getValue();
            if (d.contains("@") || d.contains(" ") || d.startsWith(".") || d.endsWith(".")) {
                c.index(i).error(items.get(i), "\"%s\" is not a domain like corp.example (no @, no leading dot)", d);
                ok = false;
            }
            set.add(AsciiFold.lower(d));
        }
        return ok ? new DomainsCriterion(Collections.unmodifiableSet(set), c.rule()) : null;
    }

    @Override
    boolean holds(Identity identity, Request request) {
        String email = identity.verifiedEmail();
        if (email == null) {
            return false;
        }
        int start = email.lastIndexOf('@') + 1;
        for (String d : domains) {
            // whole domain part, ASCII case ignored (regionMatches(true, ...) would fold ſ to s), no substring
            if (AsciiFold.regionEqualsIgnoreCase(email, start, d)) {
                return true;
            }
        }
        return false;
    }

    @Override
    Match evaluate(Identity identity, Request request) {
        String email = identity.email();
        if (email == null) {
            return Match.fails("email-missing", "user " + identity.sub() + " has no email, rule " + rule
                    + " needs an email domain one of " + listed);
        }
        if (!identity.emailVerified()) {
            return Match.fails("email-unverified", "email " + email + " is not verified by the IdP, rule " + rule
                    + " needs a verified email with a domain one of " + listed);
        }
        String domain = AsciiFold.lower(email.substring(email.lastIndexOf('@') + 1));
        return domains.contains(domain)
                ? Match.holds("email-domain", "email domain " + domain + " is one of " + listed)
                : Match.fails("email-domain-not-allowed", "email domain is " + domain + ", rule " + rule
                + " needs one of " + listed);
    }

    @Override
    public String describe() {
        return "the user's email domain is one of " + Phrases.list(domains);
    }
}
