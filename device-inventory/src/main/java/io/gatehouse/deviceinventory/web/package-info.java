/**
 * The HTTP edge shared by every feature: the OAuth2 resource-server rules (which scope each endpoint needs),
 * ETag/If-Match handling, and the one place that turns exceptions into RFC 9457 problem+json answers that name
 * the offending field. Must never answer an authentication or authorization failure with anything but 401/403.
 */
@NullMarked
package io.gatehouse.deviceinventory.web;

import org.jspecify.annotations.NullMarked;
