/**
 * The {@code gatehouse-policy} command line (picocli): {@code check}, {@code eval}, {@code test} and {@code replay}, with the exit
 * codes of docs/design.md ("The policy CLI"). It reads the files named on the command line, prints to the writers
 * picocli gives it, and returns exit codes instead of calling {@code System.exit}, except in {@code main}.
 */
@NullMarked
package io.gatehouse.policy.cli;

import org.jspecify.annotations.NullMarked;
