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
 * <p>Each token carries the cluster's token generation: revoking a cluster's tokens raises it (job-submission owns it and
 * publishes it as {@code TokensRevoked}), and verifiers refuse tokens of an older generation, with no secret rotated and no
 * other cluster touched.
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
    /** Tokens of a later generation (after a revocation): the prefix, the generation, a dot, the MAC. */
    private static final String PREFIX_GENERATION = "slw2.";
    private static final String READER_PREFIX_GENERATION = "slwr2.";
    /**
     * Prepended to the message of a token: a reader's always, a resource manager's from generation 1 (generation 0 signs
     * the bare cluster id, as tokens did before revocation). A cluster id (a DNS label) never holds a newline, so no two
     * messages of different roles or generations are the same.
     */
    private static final String READER_MESSAGE = "reader\n";
    private static final String RESOURCE_MANAGER_MESSAGE = "resource-manager\n";

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

    /** The resource manager's token of a cluster whose tokens were never revoked (generation 0). */
    public String issue(String clusterId) {
        return issue(clusterId, 0);
    }

    /**
     * The resource manager's token of {@code clusterId} at token {@code generation}: the first generation keeps the
     * {@code slw1.} form of clusters made before revocation existed; a later one names its generation, which the MAC covers.
     */
    public String issue(String clusterId, long generation) {
        return token(generation, PREFIX, PREFIX_GENERATION, RESOURCE_MANAGER_MESSAGE, clusterId);
    }

    /**
     * True when {@code token} was issued for {@code clusterId} at {@code minimumGeneration} or later (a verifier may not
     * have heard of the newest revocation yet; a later generation than it knows can only come from the secret's holder);
     * compared in constant time.
     */
    public boolean verify(String clusterId, String token, long minimumGeneration) {
        return matches(token, clusterId, minimumGeneration, PREFIX, PREFIX_GENERATION, RESOURCE_MANAGER_MESSAGE);
    }

    /** The cluster's reader token at token generation 0: reads what the platform knows of the cluster, changes nothing. */
    public String issueReader(String clusterId) {
        return issueReader(clusterId, 0);
    }

    /** The cluster's reader token at {@code generation}. */
    public String issueReader(String clusterId, long generation) {
        return token(generation, READER_PREFIX, READER_PREFIX_GENERATION, READER_MESSAGE, clusterId);
    }

    /** True when {@code token} is a reader token of {@code clusterId} at {@code minimumGeneration} or later. */
    public boolean verifyReader(String clusterId, String token, long minimumGeneration) {
        return matches(token, clusterId, minimumGeneration, READER_PREFIX, READER_PREFIX_GENERATION, READER_MESSAGE);
    }

    private String token(long generation, String firstPrefix, String laterPrefix, String role, String clusterId) {
        if (generation < 0) {
            throw new IllegalArgumentException("a token generation is 0 or more, not " + generation);
        }
        String mac = encode(mac(message(role, generation, clusterId)));
        return generation == 0 ? firstPrefix + mac : laterPrefix + generation + "." + mac;
    }

    private boolean matches(String token, String clusterId, long minimumGeneration, String firstPrefix, String laterPrefix,
            String role) {
        if (token == null || clusterId == null) {
            return false;
        }
        long generation;
        String presented;
        if (token.startsWith(firstPrefix)) {
            generation = 0;
            presented = token.substring(firstPrefix.length());
        } else if (token.startsWith(laterPrefix)) {
            int dot = token.indexOf('.', laterPrefix.length());
            if (dot < 0) {
                return false;
            }
            try {
                generation = Long.parseLong(token.substring(laterPrefix.length(), dot));
            } catch (NumberFormatException e) {
                return false;
            }
            if (generation <= 0) {
                return false;
            }
            presented = token.substring(dot + 1);
        } else {
            return false;
        }
        if (generation < minimumGeneration) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(presented);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(message(role, generation, clusterId)), decoded);
    }

    private static String message(String role, long generation, String clusterId) {
        if (generation > 0) {
            return role + generation + "\n" + clusterId;
        }
        return role.equals(RESOURCE_MANAGER_MESSAGE) ? clusterId : role + clusterId;
    }

    private static String encode(byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
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
