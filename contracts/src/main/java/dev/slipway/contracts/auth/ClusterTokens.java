package dev.slipway.contracts.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-cluster credential of a Flink resource manager: an HMAC-SHA256 of the cluster id under a
 * platform secret. job-submission issues it when the cluster is created, the driver inside the
 * JobManager sends it as a bearer token, and the resource-scheduler checks it without any lookup.
 * A token of one cluster does not verify for another.
 *
 * <p>A cluster's reader token ({@link #issueReader}) is a second credential of the same kind, for people: job-submission
 * shows it to the tenant that owns the cluster, and the resource-scheduler and the log-metric-indexer let it read that
 * cluster's decisions, state, logs, metrics and events. It is a MAC of another message, so it never passes as the
 * resource manager's token (which may ask for TaskManagers), nor that one as it.
 */
public final class ClusterTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "slw1.";
    private static final String READER_PREFIX = "slwr1.";
    /** Prepended to the cluster id for a reader token; a cluster id (a DNS label) never holds it. */
    private static final String READER_MESSAGE = "reader\n";

    /**
     * The secret every service falls back to when {@code SLIPWAY_CLUSTER_TOKEN_SECRET} is not set: known to everybody, so
     * fit for a development machine only (see {@link #unfitForProduction}).
     */
    public static final String DEVELOPMENT_SECRET = "local-development-secret-change-me";
    /** How the example Secret of deploy/k8s marks the values to replace. */
    public static final String PLACEHOLDER_PREFIX = "REPLACE-ME";

    private final SecretKeySpec key;

    public ClusterTokens(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the cluster token secret must have at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /**
     * Why {@code secret} must not sign tokens of a platform others can reach, or empty when it may: the example's
     * placeholder never may; the development value only where the operator said this is a development machine
     * ({@code developmentAllowed}). With either, anybody could forge any cluster's tokens.
     */
    public static Optional<String> unfitForProduction(String secret, boolean developmentAllowed) {
        if (secret != null && secret.startsWith(PLACEHOLDER_PREFIX)) {
            return Optional.of("the cluster token secret is still the example's placeholder: set SLIPWAY_CLUSTER_TOKEN_SECRET"
                    + " to a secret of your own (openssl rand -base64 32), the same for every Slipway service");
        }
        if (DEVELOPMENT_SECRET.equals(secret) && !developmentAllowed) {
            return Optional.of("the cluster token secret is the development value everybody knows, so anybody could forge"
                    + " cluster tokens: set SLIPWAY_CLUSTER_TOKEN_SECRET to a secret of your own (openssl rand -base64 32), the same"
                    + " for every Slipway service, or, on a development machine, SLIPWAY_ALLOW_DEVELOPMENT_SECRET=true");
        }
        return Optional.empty();
    }

    public String issue(String clusterId) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(clusterId));
    }

    /** True when {@code token} was issued for {@code clusterId}; compared in constant time. */
    public boolean verify(String clusterId, String token) {
        return matches(token, PREFIX, clusterId);
    }

    /** The cluster's reader token: reads what the platform knows of the cluster, changes nothing. */
    public String issueReader(String clusterId) {
        return READER_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(READER_MESSAGE + clusterId));
    }

    /** True when {@code token} is the reader token of {@code clusterId}; compared in constant time. */
    public boolean verifyReader(String clusterId, String token) {
        return matches(token, READER_PREFIX, READER_MESSAGE + clusterId);
    }

    private boolean matches(String token, String prefix, String message) {
        if (token == null || !token.startsWith(prefix)) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(token.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(message), presented);
    }

    private byte[] mac(String clusterId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(clusterId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
