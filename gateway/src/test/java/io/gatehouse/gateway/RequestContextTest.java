package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    private final RequestContext context = new RequestContext("r-1", 0);

    @Test
    void authenticatedWhenWrittenTwiceThenIllegalStateAndTheFirstStays() {
        Identity pat = identity("pat");
        context.authenticated(RequestContext.AuthKind.BEARER, pat, null);

        assertThatThrownBy(() -> context.authenticated(RequestContext.AuthKind.SESSION, identity("sam"), "h"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("authentication");
        assertThat(context.identity()).isSameAs(pat);
        assertThat(context.authKind()).isEqualTo(RequestContext.AuthKind.BEARER);
    }

    @Test
    void everyStageResultWhenWrittenTwiceThenIllegalState() {
        context.canonicalPath("/a");
        context.rejected(new Reason("x", "x"));
        context.device("sha", DevicePosture.unknown("sha", "test"), null);
        context.asserted("jti", "jwt");
        context.traced(io.opentelemetry.api.trace.SpanContext.getInvalid());

        assertThatThrownBy(() -> context.canonicalPath("/b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.rejected(new Reason("y", "y"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.device("sha", DevicePosture.unknown("sha", "test"), null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.asserted("jti2", "jwt2")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.traced(io.opentelemetry.api.trace.SpanContext.getInvalid()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readWhenNoStageWroteThenAnonymousAndEmpty() {
        assertThat(context.authKind()).isEqualTo(RequestContext.AuthKind.ANONYMOUS);
        assertThat(context.identity()).isNull();
        assertThat(context.deviceNotes()).isEmpty();
        assertThat(context.decision()).isNull();
        assertThat(context.routeId()).isNull();
        assertThat(context.stagesApply()).isTrue();
    }

    @Test
    void deviceWhenNoteGivenThenItIsTheOnlyNote() {
        Reason note = new Reason("device-inventory-unavailable", "inventory down");
        context.device("sha", DevicePosture.unknown("sha", "test"), note);

        assertThat(context.deviceNotes()).containsExactly(note);
        assertThat(context.deviceFacts().notes()).isEqualTo(List.of(note));
    }

    private static Identity identity(String sub) {
        return new Identity(sub, sub + "@corp.example", List.of(), java.util.Map.of(), null);
    }
}
