package io.gatehouse.policy.criteria;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import io.gatehouse.policy.ClaimsRead;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which claims a checked CEL expression reads ({@link ClaimsRead}). Every use of the variable {@code identity} is
 * looked at: {@code identity.email} and the like read no claim; {@code identity.claims.NAME},
 * {@code identity.claims["NAME"]}, {@code has(identity.claims.NAME)} and {@code "NAME" in identity.claims} read the
 * claim NAME; any other use ({@code identity.claims} as a whole, in a macro, by a computed key, or {@code identity}
 * itself passed on) reads every claim. It errs towards "all": a replay then refuses lines rather than guess.
 */
final class CelClaims {
    private static final String INDEX = "_[_]";
    private static final String IN = "@in";

    private CelClaims() {
    }

    static ClaimsRead of(CelAbstractSyntaxTree ast) {
        TreeSet<String> names = new TreeSet<>();
        boolean all = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .filter(n -> n.expr().getKind() == Kind.IDENT && n.expr().ident().name().equals("identity"))
                .map(n -> claimOf(n, names))
                .reduce(false, (a, b) -> a || b);
        return all ? ClaimsRead.ALL : ClaimsRead.of(names);
    }

    /** Adds the claim this use of {@code identity} reads to {@code names}; true when it may read every claim. */
    private static boolean claimOf(CelNavigableExpr identity, TreeSet<String> names) {
        Optional<CelNavigableExpr> parent = identity.parent();
        if (parent.isEmpty()) {
            return true;
        }
        String field = member(parent.get().expr(), identity.expr());
        if (field == null) {
            return true; // identity passed on, or indexed by a computed key
        }
        if (!field.equals("claims")) {
            return false; // identity.email, identity.groups, ...
        }
        Optional<CelNavigableExpr> grand = parent.get().parent();
        if (grand.isEmpty()) {
            return true;
        }
        CelExpr g = grand.get().expr();
        String name = member(g, parent.get().expr());
        if (name == null && g.getKind() == Kind.CALL && g.call().function().equals(IN)
                && g.call().args().size() == 2 && g.call().args().get(1).id() == parent.get().expr().id()) {
            name = string(g.call().args().get(0));
        }
        if (name == null) {
            return true;
        }
        names.add(name);
        return false;
    }

    /** The member {@code parent} reads of {@code operand} (field select or index by a string literal), or null. */
    private static @Nullable String member(CelExpr parent, CelExpr operand) {
        if (parent.getKind() == Kind.SELECT && parent.select().operand().id() == operand.id()) {
            return parent.select().field();
        }
        if (parent.getKind() == Kind.CALL && parent.call().function().equals(INDEX)) {
            List<CelExpr> args = parent.call().args();
            if (args.size() == 2 && args.get(0).id() == operand.id()) {
                return string(args.get(1));
            }
        }
        return null;
    }

    private static @Nullable String string(CelExpr e) {
        return e.getKind() == Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE
                ? e.constant().stringValue() : null;
    }
}
