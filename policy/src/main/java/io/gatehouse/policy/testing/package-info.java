/**
 * Policy test files and the REQUEST.json shape: reading a request from parsed JSON or YAML, printing a
 * decision as the CLI's JSON line, and running a test file's cases against its config. The CLI's
 * {@code eval} and {@code test} and the module's own JUnit case runner share this code, so what the tests
 * prove is what users run. It reads the test and config files it is given and nothing else.
 */
@NullMarked
package io.gatehouse.policy.testing;

import org.jspecify.annotations.NullMarked;
