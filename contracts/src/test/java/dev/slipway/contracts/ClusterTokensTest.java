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
        assertThat(tokens.verify("c-1", token)).isTrue();
        assertThat(tokens.verify("c-2", token)).isFalse();
    }

    @Test
    void anotherSecretsTokenAndGarbageAreRefused() {
        String foreign = new ClusterTokens("another-secret-of-some-length!!").issue("c-1");
        assertThat(tokens.verify("c-1", foreign)).isFalse();
        assertThat(tokens.verify("c-1", null)).isFalse();
        assertThat(tokens.verify("c-1", "slw1.!!!not-base64")).isFalse();
        assertThat(tokens.verify("c-1", "Bearer x")).isFalse();
    }

    @Test
    void aShortSecretIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new ClusterTokens("short")).hasMessageContaining("at least 16 characters");
    }

    @Test
    void aReaderTokenReadsItsClusterOnlyAndIsNeverTheResourceManagersToken() {
        String reader = tokens.issueReader("c-1");
        assertThat(tokens.verifyReader("c-1", reader)).isTrue();
        assertThat(tokens.verifyReader("c-2", reader)).isFalse();
        assertThat(tokens.verify("c-1", reader)).as("a reader token asking for TaskManagers").isFalse();
        assertThat(tokens.verifyReader("c-1", tokens.issue("c-1"))).as("the resource manager's token as a reader's").isFalse();
        assertThat(tokens.verifyReader("c-1", "slw1." + reader.substring("slwr1.".length()))).isFalse();
        assertThat(new ClusterTokens("another-secret-of-some-length!!").verifyReader("c-1", reader)).isFalse();
        assertThat(tokens.verifyReader("c-1", null)).isFalse();
        assertThat(tokens.verifyReader("c-1", "slwr1.%%")).isFalse();
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
}
