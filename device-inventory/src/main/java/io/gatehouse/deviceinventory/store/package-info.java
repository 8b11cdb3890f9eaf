/**
 * Database wiring. With no {@code spring.datasource.url} the service starts a real embedded PostgreSQL (zonky) and
 * points its datasource at it, so {@code java -jar} runs alone; an ordinary datasource URL replaces it in
 * production, and then this package starts nothing. Flyway migrates either one before the API serves.
 */
@NullMarked
package io.gatehouse.deviceinventory.store;

import org.jspecify.annotations.NullMarked;
