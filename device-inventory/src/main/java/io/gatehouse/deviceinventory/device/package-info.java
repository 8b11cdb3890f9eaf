/**
 * The device resource: id, owner, platform and OS version, management state, certificate fingerprints, latest
 * posture report and quarantine. Reads JSON requests, checks every field and answers with the field's name when
 * one is bad; writes one transaction per request with an optimistic version, and appends a history entry for
 * every change. Must never let a certificate fingerprint belong to two devices, nor overwrite a newer version.
 */
@NullMarked
package io.gatehouse.deviceinventory.device;

import org.jspecify.annotations.NullMarked;
