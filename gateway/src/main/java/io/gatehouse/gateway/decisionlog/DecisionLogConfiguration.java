package io.gatehouse.gateway.decisionlog;

import io.gatehouse.gateway.RequestStage;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.assertion.AssertStep;
import io.gatehouse.gateway.authn.AuthenticateStep;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.decision.DecideStep;
import io.gatehouse.gateway.device.DeviceStep;
import io.gatehouse.gateway.hygiene.HygieneStep;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.gateway.management.PublicListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.autoconfigure.web.reactive.WebHttpHandlerBuilderCustomizer;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The decision-log writer with its sinks ({@code gatehouse.decision-log.sinks}, default stdout in the Gatehouse
 * format: {@link FormattedSinks}, {@link DecisionLogSink}) and bounds
 * ({@code gatehouse.decision-log.queue-capacity}, default 65536 lines; {@code queue-max-bytes}, default 16MB;
 * {@code drain-timeout}, default 10s), its health component {@code decisionLog}, and the RECORD stage.
 */
@Configuration(proxyBeanMethods = false)
class DecisionLogConfiguration {

    @Bean
    DecisionLogWriter decisionLogWriter(DecisionLogProperties properties, MeterRegistry meters) {
        return new DecisionLogWriter(properties.limits(), FormattedSinks.of(properties.sinks()), meters);
    }

    /** Health component {@code decisionLog}: DOWN while the sink refuses lines. */
    @Bean
    HealthIndicator decisionLogHealthIndicator(DecisionLogWriter writer) {
        return new DecisionLogHealthIndicator(writer);
    }

    @Bean
    RecordWebFilter recordWebFilter(DecisionLogWriter writer, LiveConfig config, Clock clock, PublicListener publicListener,
                                    OpenTelemetry openTelemetry, TrustedProxies trustedProxies, MeterRegistry meters,
                                    DecisionFactsProperties facts, ObjectProvider<HygieneStep> hygiene,
                                    ObjectProvider<AuthenticateStep> authenticate, ObjectProvider<DeviceStep> device,
                                    ObjectProvider<DecideStep> decide, ObjectProvider<AssertStep> assertion) {
        RequestTracer tracer = new RequestTracer(openTelemetry.getTracer("io.gatehouse.gateway"), trustedProxies);
        // The request path after RECORD, one step per stage (a context without a stage's bean runs without it).
        Map<RequestStage, RequestStep> steps = new EnumMap<>(RequestStage.class);
        hygiene.ifAvailable(step -> steps.put(RequestStage.HYGIENE, step));
        authenticate.ifAvailable(step -> steps.put(RequestStage.AUTHENTICATE, step));
        device.ifAvailable(step -> steps.put(RequestStage.DEVICE, step));
        decide.ifAvailable(step -> steps.put(RequestStage.DECIDE, step));
        assertion.ifAvailable(step -> steps.put(RequestStage.ASSERT, step));
        return new RecordWebFilter(writer, config, clock, publicListener, tracer, new RequestTimers(meters), facts,
                steps);
    }

    /**
     * Requests Netty's decoder refuses never reach RECORD; the public listener's access-log hook logs them
     * ({@link DecoderRejections}). The public listener is the one with TLS; the management port is plain HTTP.
     */
    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> decoderRejectionsLogged(DecisionLogWriter writer,
                                                                                      LiveConfig config) {
        return factory -> {
            if (Ssl.isEnabled(factory.getSsl())) {
                DecoderRejections rejections = new DecoderRejections(writer, config);
                factory.addServerCustomizers(server -> server.accessLog(true, rejections));
            }
        };
    }

    /**
     * RECORD traces and times every request itself ({@link RequestTracer}, {@link RequestTimers}), so the public
     * handler's generic observation (span, timer and baggage handling per request, a third of the CPU) is off.
     */
    @Bean
    WebHttpHandlerBuilderCustomizer recordReplacesServerObservation() {
        return builder -> builder.observationRegistry(ObservationRegistry.NOOP);
    }
}
