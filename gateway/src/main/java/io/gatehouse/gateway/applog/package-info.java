/**
 * Where the gateway's application logs (everything but the decision log) go: Spring Boot's console appender, on
 * stdout by default, or on stderr when {@code gatehouse.logging.application-stream=stderr}, so that stdout carries
 * the decision log's JSON lines and nothing else. Reads one property after Spring Boot set up logging; never touches
 * the decision log's own logger ({@code gatehouse.decision}) or its appender.
 */
@NullMarked
package io.gatehouse.gateway.applog;

import org.jspecify.annotations.NullMarked;
