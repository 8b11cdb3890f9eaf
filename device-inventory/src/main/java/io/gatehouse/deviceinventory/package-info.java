/**
 * The device-inventory service: devices, their certificates, posture reports and the computed trust level
 * (docs/design.md, "Device identity and posture"). Sub-packages are features: {@code device} (the resource and its
 * store), {@code posture} (the gateway's hot-path lookup), {@code trust} (the trust rules), {@code audit} (the
 * append-only history), {@code web} (security and error answers) and {@code store} (the database wiring).
 */
@NullMarked
package io.gatehouse.deviceinventory;

import org.jspecify.annotations.NullMarked;
