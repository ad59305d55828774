package dev.slipway.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.contracts.auth.ClusterTokens;
import org.junit.jupiter.api.Test;

class ClusterTokensTest {

    private final ClusterTokens tokens = new ClusterTokens("a-platform-secret-of-some-length");

    @Test
    void aTokenVerifiesForItsClusterOnly() {
        String token = tokens.issue("c-1");
        assertThat(tokens.verify("c-1", token, 0)).isTrue();
        assertThat(tokens.verify("c-2", token, 0)).isFalse();
    }

    @Test
    void anotherSecretsTokenAndGarbageAreRefused() {
        String foreign = new ClusterTokens("another-secret-of-some-length!!").issue("c-1");
        assertThat(tokens.verify("c-1", foreign, 0)).isFalse();
        assertThat(tokens.verify("c-1", null, 0)).isFalse();
        assertThat(tokens.verify("c-1", "slw1.!!!not-base64", 0)).isFalse();
        assertThat(tokens.verify("c-1", "Bearer x", 0)).isFalse();
    }

    @Test
    void aShortSecretIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new ClusterTokens("short")).hasMessageContaining("at least 16 characters");
    }

    @Test
    void aReaderTokenReadsItsClusterOnlyAndIsNeverTheResourceManagersToken() {
        String reader = tokens.issueReader("c-1");
        assertThat(tokens.verifyReader("c-1", reader, 0)).isTrue();
        assertThat(tokens.verifyReader("c-2", reader, 0)).isFalse();
        assertThat(tokens.verify("c-1", reader, 0)).as("a reader token asking for TaskManagers").isFalse();
        assertThat(tokens.verifyReader("c-1", tokens.issue("c-1"), 0)).as("the resource manager's token as a reader's").isFalse();
        assertThat(tokens.verifyReader("c-1", "slw1." + reader.substring("slwr1.".length()), 0)).isFalse();
        assertThat(new ClusterTokens("another-secret-of-some-length!!").verifyReader("c-1", reader, 0)).isFalse();
        assertThat(tokens.verifyReader("c-1", null, 0)).isFalse();
        assertThat(tokens.verifyReader("c-1", "slwr1.%%", 0)).isFalse();
    }

    @Test
    void theDevelopmentSecretSignsOnlyWhereDevelopmentIsAllowedAndThePlaceholderNowhere() {
        assertThat(ClusterTokens.unfitForProduction(ClusterTokens.DEVELOPMENT_SECRET, false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("SLIPWAY_CLUSTER_TOKEN_SECRET").contains("SLIPWAY_ALLOW_DEVELOPMENT_SECRET=true"));
        assertThat(ClusterTokens.unfitForProduction(ClusterTokens.DEVELOPMENT_SECRET, true)).isEmpty();
        assertThat(ClusterTokens.unfitForProduction("REPLACE-ME-with-a-long-random-secret", true)).hasValueSatisfying(reason ->
                assertThat(reason).contains("placeholder").contains("SLIPWAY_CLUSTER_TOKEN_SECRET"));
        assertThat(ClusterTokens.unfitForProduction("a-platform-secret-of-some-length", false)).isEmpty();
    }

    @Test
    void aRevocationRefusesEveryOlderGenerationAndOnlyThatClustersTokens() {
        String first = tokens.issue("c-1");
        String firstReader = tokens.issueReader("c-1");
        String second = tokens.issue("c-1", 2);
        String secondReader = tokens.issueReader("c-1", 2);
        assertThat(second).startsWith("slw2.2.");
        assertThat(secondReader).startsWith("slwr2.2.");
        // A verifier that knows the revocation to generation 2.
        assertThat(tokens.verify("c-1", first, 2)).isFalse();
        assertThat(tokens.verifyReader("c-1", firstReader, 2)).isFalse();
        assertThat(tokens.verify("c-1", tokens.issue("c-1", 1), 2)).isFalse();
        assertThat(tokens.verify("c-1", second, 2)).isTrue();
        assertThat(tokens.verifyReader("c-1", secondReader, 2)).isTrue();
        // One that has not heard of it yet takes the new tokens too; another cluster is untouched.
        assertThat(tokens.verify("c-1", second, 0)).isTrue();
        assertThat(tokens.verify("c-2", tokens.issue("c-2"), 0)).isTrue();
        assertThat(tokens.verify("c-2", second, 0)).isFalse();
    }

    @Test
    void aGenerationCannotBeRaisedOrMixedWithoutTheSecret() {
        String second = tokens.issue("c-1", 2);
        String mac = second.substring("slw2.2.".length());
        assertThat(tokens.verify("c-1", "slw2.3." + mac, 2)).as("the generation edited upwards").isFalse();
        assertThat(tokens.verify("c-1", "slw2.0." + mac, 0)).isFalse();
        assertThat(tokens.verify("c-1", "slw2.-1." + mac, 0)).isFalse();
        assertThat(tokens.verify("c-1", "slw2.x." + mac, 0)).isFalse();
        assertThat(tokens.verify("c-1", "slw2." + mac, 0)).isFalse();
        assertThat(tokens.verify("c-1", "slw1." + mac, 0)).as("a later MAC in the first form").isFalse();
        assertThat(tokens.verifyReader("c-1", "slwr2.2." + mac, 0)).as("the resource manager's MAC as a reader's").isFalse();
        assertThat(tokens.verify("c-1", tokens.issueReader("c-1", 2).replace("slwr2.", "slw2."), 0)).isFalse();
        assertThatThrownBy(() -> tokens.issue("c-1", -1)).hasMessageContaining("0 or more");
    }
}
