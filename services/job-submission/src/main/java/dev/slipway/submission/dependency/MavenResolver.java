package dev.slipway.submission.dependency;

import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Fetches a job's Maven dependencies: the jar of a coordinate (not its own dependencies: name the shaded
 * {@code flink-sql-connector-*} jars, or every jar a job needs), from the configured repositories in order, checked
 * against the SHA-1 the repository publishes beside it, into the artifact store. A coordinate fetched once is taken from
 * the store afterwards (a release never changes). Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class MavenResolver {

    private static final Logger LOG = Logger.getLogger(MavenResolver.class);

    /** A coordinate's jar in the artifact store; {@code cached} when no repository was asked. */
    public record Resolved(MavenCoordinate coordinate, ArtifactStore.Stored stored, String repository, boolean cached) {
    }

    /** Why a coordinate has no jar: it is in none of the repositories (the caller's fault) or a repository failed. */
    public static final class NotResolved extends Exception {
        private final boolean repositoryFault;

        NotResolved(String message, boolean repositoryFault) {
            super(message);
            this.repositoryFault = repositoryFault;
        }

        /** True when a repository could not be reached or served something wrong: worth trying again later. */
        public boolean repositoryFault() {
            return repositoryFault;
        }
    }

    private final ArtifactStore artifacts;
    private final List<String> repositories;
    private final Duration timeout;
    private final long maxBytes;
    private final HttpClient http;

    public MavenResolver(ArtifactStore artifacts, SubmissionConfig config) {
        this.artifacts = artifacts;
        this.repositories = config.jobs().dependencies().repositories().stream().map(MavenResolver::withoutSlash).toList();
        for (String repository : repositories) {
            String scheme = URI.create(repository).getScheme();
            if (scheme == null || !List.of("http", "https", "file").contains(scheme.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("slipway.job-submission.jobs.dependencies.repositories: '" + repository
                        + "' is not an http(s):// or file:// URL of a Maven repository");
            }
        }
        this.timeout = config.jobs().dependencies().timeout();
        this.maxBytes = config.jobs().maxJarSize().asLongValue();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public Resolved resolve(MavenCoordinate coordinate) throws NotResolved, IOException {
        Path index = indexEntry(coordinate);
        if (Files.exists(index)) {
            String sha256 = Files.readString(index, StandardCharsets.US_ASCII).strip();
            Path stored = artifacts.path(sha256);
            if (artifacts.touchIfPresent(stored)) {
                return new Resolved(coordinate, new ArtifactStore.Stored(sha256, Files.size(stored), stored), null, true);
            } // collected since: fetch it again
        }
        List<String> faults = new ArrayList<>();
        for (String repository : repositories) {
            String url = repository + "/" + coordinate.path();
            Path download = Files.createTempFile("slipway-dependency-", ".jar");
            try {
                String sha1;
                try {
                    sha1 = fetch(url, download);
                } catch (Missing missing) {
                    continue;
                }
                String published = checksumOf(url);
                if (!published.equals(sha1)) {
                    throw new NotResolved(coordinate + ": the jar " + url + " has SHA-1 " + sha1 + " but the repository publishes "
                            + published + " for it; the download or the repository is corrupt, try again or use another repository",
                            true);
                }
                ArtifactStore.Stored stored = artifacts.store(download);
                remember(index, stored.sha256());
                LOG.infof("dependency %s: %d bytes from %s", coordinate, stored.size(), repository);
                return new Resolved(coordinate, stored, repository, false);
            } catch (Unreachable unreachable) {
                faults.add(unreachable.getMessage());
            } finally {
                Files.deleteIfExists(download);
            }
        }
        if (!faults.isEmpty()) {
            throw new NotResolved(coordinate + " could not be fetched: " + String.join("; ", faults)
                    + " (repositories: slipway.job-submission.jobs.dependencies.repositories)", true);
        }
        throw new NotResolved(coordinate + " is not in " + String.join(" nor ", repositories) + " (looked for " + coordinate.path()
                + "); check the group, artifact and version", false);
    }

    /** The repository's SHA-1 of the jar at this URL. */
    private String checksumOf(String jarUrl) throws NotResolved, IOException, Unreachable {
        Path file = Files.createTempFile("slipway-dependency-", ".sha1");
        try {
            fetch(jarUrl + ".sha1", file);
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            String first = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (!first.matches("[0-9a-f]{40}")) {
                throw new NotResolved(jarUrl + ".sha1 is not a SHA-1 checksum", true);
            }
            return first;
        } catch (Missing missing) {
            throw new NotResolved("the repository publishes no checksum for " + jarUrl + " (" + jarUrl
                    + ".sha1 is missing), so it cannot be verified", true);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Downloads the URL into the file; answers the content's SHA-1. */
    private String fetch(String url, Path into) throws IOException, NotResolved, Missing, Unreachable {
        URI uri = URI.create(url);
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            Path source = Path.of(uri);
            try (InputStream in = Files.newInputStream(source)) {
                return copy(in, into, url);
            } catch (NoSuchFileException e) {
                throw new Missing();
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Unreachable(url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(url + ": interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404 || response.statusCode() == 410) {
                throw new Missing();
            }
            if (response.statusCode() != 200) {
                throw new Unreachable(url + " answered " + response.statusCode());
            }
            return copy(body, into, url);
        }
    }

    private String copy(InputStream in, Path into, String url) throws IOException, NotResolved {
        MessageDigest sha1 = sha1();
        try (InputStream digesting = new DigestInputStream(in, sha1); OutputStream out = Files.newOutputStream(into)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = digesting.read(buffer)) >= 0; ) {
                total += read;
                if (total > maxBytes) {
                    throw new NotResolved(url + " is larger than the largest jar accepted (slipway.job-submission.jobs.max-jar-size, "
                            + maxBytes + " bytes)", false);
                }
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    /** Where the SHA-256 of a fetched coordinate's jar is noted: a file per coordinate beside the content-addressed jars. */
    private Path indexEntry(MavenCoordinate coordinate) {
        return artifacts.root().resolve("maven").resolve(coordinate.path() + ".sha256");
    }

    private static void remember(Path index, String sha256) throws IOException {
        Files.createDirectories(index.getParent());
        Path temporary = Files.createTempFile(index.getParent(), ".index-", ".tmp");
        try {
            Files.writeString(temporary, sha256, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, index, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, index, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String withoutSlash(String repository) {
        String trimmed = repository.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Not in this repository (404): the next one may have it. */
    private static final class Missing extends Exception {
        Missing() {
            super(null, null, false, false);
        }
    }

    /** The repository could not be asked or answered with an error. */
    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }
}
