package dev.slipway.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Slipway service run from its packaged Quarkus application, as a user runs it. */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String url;
    private final Path log;

    private ServiceProcess(String name, Process process, String url, Path log) {
        this.name = name;
        this.process = process;
        this.url = url;
        this.log = log;
    }

    public static ServiceProcess start(String name, Path quarkusApp, int port, Map<String, String> properties, Path logDirectory)
            throws IOException {
        ServiceProcess service = launch(name, quarkusApp, port, properties, logDirectory);
        service.awaitReady();
        return service;
    }

    /** Started, not waited for: for a start that is meant to fail ({@link #awaitExit}). */
    public static ServiceProcess launch(String name, Path quarkusApp, int port, Map<String, String> properties, Path logDirectory)
            throws IOException {
        Path jar = quarkusApp.resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the service first (./mvnw -B install -DskipTests)");
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m"));
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServiceProcess(name, process, "http://127.0.0.1:" + port, log);
    }

    /** The exit code, once the process has ended by itself. */
    public int awaitExit(Duration atMost) {
        await(name + " exits (log: " + log + ")").atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive());
        return process.exitValue();
    }

    /** Until its readiness check answers 200; fails at once if it exits meanwhile. */
    public void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        await(name + " ready (log: " + log + ")").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
