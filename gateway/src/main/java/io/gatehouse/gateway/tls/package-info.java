/**
 * The public listener's TLS: TLS 1.3 and 1.2 with HTTP/2 (application.yml) and client certificates requested and
 * validated against the device CA. Reads {@code server.ssl.*} and {@code gatehouse.device-ca}; produces the
 * server's SSL settings, as a Spring Boot SSL bundle that is rebuilt when the files change ({@code KeyFileWatch}, also
 * used for the assertion signing keys). Must never trust the JDK's public CAs for device certificates.
 */
@NullMarked
package io.gatehouse.gateway.tls;

import org.jspecify.annotations.NullMarked;
