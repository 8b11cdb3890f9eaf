package io.gatehouse.policy;

import java.util.Objects;

/**
 * One line of a decision's explanation: a stable {@code code} for metrics and tests
 * ({@code device-trust-too-low}) and a human sentence for people
 * ("device trust is basic, rule finance-on-good-devices needs high").
 */
public record Reason(String code, String text) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
