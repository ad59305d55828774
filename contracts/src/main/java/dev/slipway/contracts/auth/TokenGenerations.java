package dev.slipway.contracts.auth;

/** Each cluster's lowest token generation still valid, as a verifier of cluster tokens knows it. */
public interface TokenGenerations {

    /** The lowest generation whose tokens {@code clusterId} still accepts: 0 until its tokens were first revoked. */
    long minimum(String clusterId);

    /** False while the verifier is still reading what was revoked; until then it must not accept any token. */
    default boolean loaded() {
        return true;
    }

    /** A platform where nothing was ever revoked: for tools and tests that run no credentials topic. */
    static TokenGenerations none() {
        return clusterId -> 0;
    }
}
