package io.gatehouse.gateway.decisionlog;

/**
 * How a decision-log sink writes a line ({@code gatehouse.decision-log.sinks[*].format}): {@link #GATEHOUSE}, the
 * documented Gatehouse line (docs/decision-log.schema.json), or {@link #OCSF}, the same facts as an OCSF 1.8.0 HTTP
 * Activity event ({@link OcsfLine}, docs/ocsf-http-activity.schema.json) for a SIEM that reads OCSF.
 */
public enum DecisionLogFormat {
    /** The Gatehouse line as it is (the default). */
    GATEHOUSE,
    /** OCSF 1.8.0, class HTTP Activity (4002). */
    OCSF
}
