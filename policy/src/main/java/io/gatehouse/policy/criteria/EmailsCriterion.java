package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code emails: [..]}: the user's verified email is one of these, ASCII letters compared ignoring case (no
 * other folding, see {@link AsciiFold}). An email the IdP did not verify ({@link Identity#emailVerified()}) never
 * matches.
 */
public final class EmailsCriterion extends IdentityCriterion {
    private final Set<String> emails;
    private final String listed;
    private final String rule;

    private EmailsCriterion(Set<String> emails, String rule) {
        super(rule, "email one of " + emails);
        this.emails = emails;
        this.listed = emails.toString();
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        if (items == null) {
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String e = items.get(i).getValue();
            int at = e.indexOf('@');
            if (at <= 0 || at != e.lastIndexOf('@') || at == e.length() - 1 || e.contains(" ")) {
                c.index(i).error(items.get(i), "\"%s\" is not an email address like pat@corp.example", e);
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        Set<String> set = items.stream().map(n -> AsciiFold.lower(n.getValue()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new EmailsCriterion(Collections.unmodifiableSet(set), c.rule());
    }

    @Override
    boolean holds(Identity identity, Request request) {
        String email = identity.verifiedEmail();
        return email != null && emails.contains(AsciiFold.lower(email));
    }

    @Override
    Match evaluate(Identity identity, Request request) {
        String email = identity.email();
        if (email == null) {
            return Match.fails("email-missing", "user " + identity.sub() + " has no email, rule " + rule
                    + " needs one of " + listed);
        }
        if (!identity.emailVerified()) {
            return Match.fails("email-unverified", "email " + email + " is not verified by the IdP, rule " + rule
                    + " needs a verified one of " + listed);
        }
        return emails.contains(AsciiFold.lower(email))
                ? Match.holds("email", "email " + email + " is one of " + listed)
                : Match.fails("email-not-allowed", "email is " + email + ", rule " + rule + " needs one of " + listed);
    }

    @Override
    public String describe() {
        return "the user's email is one of " + Phrases.list(emails);
    }
}
