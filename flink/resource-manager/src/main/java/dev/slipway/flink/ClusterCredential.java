package dev.slipway.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cluster's token as the resource manager sends it: written into its configuration once, or kept in a file the platform
 * rewrites when the cluster's tokens are revoked, so a running JobManager carries on with the new one.
 */
public interface ClusterCredential {

    /** The token to send now. */
    String token();

    /** True when a refused token may be replaced by the platform (so a 401 or 403 is worth retrying). */
    boolean renewable();

    static ClusterCredential fixed(String token) {
        return new ClusterCredential() {
            @Override
            public String token() {
                return token;
            }

            @Override
            public boolean renewable() {
                return false;
            }
        };
    }

    /** Read on every call: a call is a few per minute at most, and a rewritten file is used at once. */
    static ClusterCredential file(Path file) {
        return new ClusterCredential() {
            @Override
            public String token() {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the cluster token at " + file, e);
                }
            }

            @Override
            public boolean renewable() {
                return true;
            }
        };
    }
}
