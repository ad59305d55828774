package dev.slipway.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Maven repository over HTTP for tests: a directory in Maven's layout ({@code group/path/artifact/version/file}), each
 * jar published with its {@code .sha1} as Maven Central does, served by the JDK's HTTP server on 127.0.0.1. It counts the
 * jar downloads, so a test can tell a cached resolution from a fetched one, and can be made to fail like a broken mirror.
 */
public final class MavenRepositoryServer implements AutoCloseable {

    private static final Pattern COPIED_JAR = Pattern.compile("(.+?)-(\\d.*)\\.jar");

    private final Path root;
    private final HttpServer server;
    private final AtomicInteger jarDownloads = new AtomicInteger();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private MavenRepositoryServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    public static MavenRepositoryServer in(Path root) throws IOException {
        Files.createDirectories(root);
        return new MavenRepositoryServer(root);
    }

    /** The repository's URL, as a Maven settings file or Slipway's configuration names it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2";
    }

    /** Publishes a jar under {@code group:artifact:version[:classifier]}, with its SHA-1 beside it. */
    public MavenRepositoryServer publish(String coordinate, Path jar) {
        try {
            Path target = root.resolve(path(coordinate));
            Files.createDirectories(target.getParent());
            Files.copy(jar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(target.resolveSibling(target.getFileName() + ".sha1"), sha1(Files.readAllBytes(target)),
                    StandardCharsets.US_ASCII);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes every jar of a directory named {@code <artifact>-<version>.jar} (as Maven's dependency plugin copies them)
     * whose artifact {@code groups} names; answers the coordinates by artifact. Fails naming what is missing.
     */
    public Map<String, String> publishAll(Path directory, Map<String, String> groups) {
        Map<String, String> published = new HashMap<>();
        try (var jars = Files.list(directory)) {
            for (Path jar : jars.toList()) {
                Matcher name = COPIED_JAR.matcher(jar.getFileName().toString());
                if (name.matches() && groups.containsKey(name.group(1))) {
                    String coordinate = groups.get(name.group(1)) + ":" + name.group(1) + ":" + name.group(2);
                    publish(coordinate, jar);
                    published.put(name.group(1), coordinate);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no jars to publish in " + directory + ": " + e.getMessage(), e);
        }
        if (!published.keySet().equals(groups.keySet())) {
            throw new IllegalStateException("jars missing from " + directory + " (the build's maven-dependency-plugin copies them): found "
                    + published.keySet() + " of " + groups.keySet());
        }
        return published;
    }

    /** Replaces the published SHA-1 of a coordinate's jar with another: a corrupt mirror. */
    public void corruptChecksum(String coordinate) throws IOException {
        Path target = root.resolve(path(coordinate));
        Files.writeString(target.resolveSibling(target.getFileName() + ".sha1"), "0".repeat(40), StandardCharsets.US_ASCII);
    }

    /** While failing, every request for this coordinate's jar answers 503. */
    public void failing(String coordinate, boolean fail) {
        if (fail) {
            failing.add("/maven2/" + path(coordinate));
        } else {
            failing.remove("/maven2/" + path(coordinate));
        }
    }

    /** Jars served so far (checksums not counted). */
    public int jarDownloads() {
        return jarDownloads.get();
    }

    /** The path of a coordinate's jar in Maven's layout. */
    public static String path(String coordinate) {
        String[] parts = coordinate.split(":");
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("not group:artifact:version[:classifier]: " + coordinate);
        }
        String file = parts[1] + "-" + parts[2] + (parts.length == 4 ? "-" + parts[3] : "") + ".jar";
        return parts[0].replace('.', '/') + "/" + parts[1] + "/" + parts[2] + "/" + file;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requested = URI.create(exchange.getRequestURI().getRawPath()).getPath();
            if (failing.contains(requested)) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            Path file = requested.startsWith("/maven2/") ? root.resolve(requested.substring("/maven2/".length())).normalize() : null;
            if (!"GET".equals(exchange.getRequestMethod()) || file == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (requested.endsWith(".jar")) {
                jarDownloads.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file, body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String sha1(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
