package io.gatehouse.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A packaged Spring Boot jar (gateway, device-inventory, hello-app) run as its own process on loopback, as the run
 * script starts it: {@link #launch} returns at once (so several start side by side on two cores), {@link #awaitReady}
 * polls its health URL with a bound and fails as soon as the process exits. Its output goes to {@code dir/NAME.log}.
 * It can be stopped and started again with the same arguments (the inventory's fail-closed journey).
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path dir;
    private final Path log;
    private final URI health;
    private Process process;

    private ServiceProcess(String name, List<String> command, Path dir, URI health) {
        this.name = name;
        this.command = command;
        this.dir = dir;
        this.log = dir.resolve(name + ".log");
        this.health = health;
    }

    /** Starts {@code java JVM_OPTIONS -jar JAR ARGS} from a private copy of the jar; does not wait for it. */
    public static ServiceProcess launch(String name, Path jar, Path dir, List<String> jvmOptions, List<String> args, URI health) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + name + " jar at " + jar + ": build the reactor (the e2e module comes last)");
        }
        try {
            Files.createDirectories(dir);
            // A private copy: a rebuild of the module's target/ while the suite runs must not change the running jar.
            Path copy = Files.copy(jar, dir.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", copy.toString()));
            command.addAll(args);
            ServiceProcess service = new ServiceProcess(name, List.copyOf(command), dir, health);
            service.start();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process again after {@link #stop()}, with the same arguments; does not wait for it. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (at most three minutes) until the health URL answers 200; fails with the log's tail otherwise. */
    public ServiceProcess awaitReady() {
        return awaitReady(Duration.ofSeconds(180));
    }

    /**
     * Waits at most {@code atMost} until the health URL answers 200. Fails at once when the process exits (not only
     * at the timeout), and then or at the timeout stops it and fails with the log's tail.
     */
    public ServiceProcess awaitReady(Duration atMost) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build();
        Process current = process;
        try {
            Awaitility.await(name + " ready at " + health).atMost(atMost)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!current.isAlive()) {
                            throw new IllegalStateException(name + " exited " + current.exitValue());
                        }
                        try {
                            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
            return this;
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException(name + " did not become ready; last lines of " + log + ":\n"
                    + Processes.tail(log), e);
        }
    }

    /** TERM, then KILL after 30 s (time for a service to stop what it started, e.g. its database); waits for it. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The file the process writes its output to ({@code dir/NAME.log}). */
    public Path log() {
        return log;
    }

    /** The process's output so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running process's pid (for signals such as SIGSTOP in fault tests). */
    public synchronized long pid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    /** The running process's handle (its pid and its children, e.g. an embedded database it started). */
    public synchronized java.util.Optional<ProcessHandle> handle() {
        return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
    }

    @Override
    public void close() {
        stop();
    }
}
