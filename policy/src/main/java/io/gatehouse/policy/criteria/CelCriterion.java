package io.gatehouse.policy.criteria;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.ParseContext;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code cel: 'expression'}: a CEL expression over {@code identity}, {@code device} and {@code request}
 * (maps, see {@link CelInput}) that must be true. It is parsed, type-checked (the result must be a bool) and
 * planned at load time, so a bad expression is a load error at its position. An evaluation error (e.g. a key
 * the map does not have) fails the criterion with the error in the reason: fail closed.
 */
public final class CelCriterion implements Criterion {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("identity", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("device", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final String expression;
    private final CelRuntime.Program program;
    private final String rule;
    private final ClaimsRead claimsRead;

    private CelCriterion(String expression, CelRuntime.Program program, String rule, ClaimsRead claimsRead) {
        this.expression = expression;
        this.program = program;
        this.rule = rule;
        this.claimsRead = claimsRead;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        if (!(node instanceof ScalarNode s) || s.getValue().isBlank()) {
            c.error(node, "expected a CEL expression, found %s", io.gatehouse.policy.parse.Nodes.describe(node));
            return null;
        }
        String expression = s.getValue();
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new CelCriterion(expression, RUNTIME.createProgram(ast), c.rule(), CelClaims.of(ast));
        } catch (CelValidationException e) {
            for (CelIssue issue : e.getErrors()) {
                report(s, c, issue);
            }
        } catch (CelEvaluationException e) {
            c.error(node, "CEL expression cannot be planned: %s", e.getMessage());
        }
        return null;
    }

    /** Points at the character the CEL issue names when the expression sits on one line in the file. */
    private static void report(ScalarNode s, ParseContext c, CelIssue issue) {
        var mark = s.getStartMark().orElse(null);
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        boolean quoted = s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED
                || s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
        boolean inline = quoted || s.getScalarStyle() == ScalarStyle.PLAIN;
        int celLine = issue.getSourceLocation().getLine();
        int celColumn = issue.getSourceLocation().getColumn();
        if (inline && celLine == 1 && celColumn >= 0) {
            column += (quoted ? 1 : 0) + celColumn;
        }
        c.errors().at(line, column, c.path(), "CEL: %s", issue.getMessage());
    }

    @Override
    public Match evaluate(Request request) {
        Object result;
        try {
            result = program.eval(CelInput.of(request));
        } catch (CelEvaluationException e) {
            return Match.fails("cel-error", "cel expression " + expression + " failed (" + e.getMessage()
                    + "), rule " + rule + " needs true");
        }
        return Boolean.TRUE.equals(result)
                ? Match.holds("cel", "cel expression " + expression + " is true")
                : Match.fails("cel-false", "cel expression " + expression + " is false, rule " + rule + " needs true");
    }

    @Override
    public String describe() {
        return "the CEL expression `" + expression + "` is true";
    }

    @Override
    public ClaimsRead claimsRead() {
        return claimsRead;
    }
}
