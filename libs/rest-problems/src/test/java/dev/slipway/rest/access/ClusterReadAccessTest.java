package dev.slipway.rest.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.auth.TokenGenerations;
import dev.slipway.rest.problems.ProblemException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterReadAccessTest {

    private static final String SECRET = "a-platform-secret-of-some-length";
    private static final String OPERATOR = "the-operators-token-0123";
    private static final ClusterTokens TOKENS = new ClusterTokens(SECRET);

    private final ClusterReadAccess access = new ClusterReadAccess(SECRET, TokenGenerations.none(), Optional.of(OPERATOR));

    private static int status(Runnable check) {
        try {
            check.run();
            return 200;
        } catch (ProblemException e) {
            return e.problem().status();
        }
    }

    @Test
    void aClustersReaderOrResourceManagerTokenReadsThatClusterOnly() {
        String reader = TOKENS.issueReader("c-1");
        assertThat(status(() -> access.requireCluster("c-1", "Bearer " + reader, null))).isEqualTo(200);
        assertThat(status(() -> access.requireCluster("c-1", "Bearer " + TOKENS.issue("c-1"), null))).isEqualTo(200);
        assertThat(status(() -> access.requireCluster("c-2", "Bearer " + reader, null))).isEqualTo(403);
        assertThat(status(() -> access.requireCluster("c-2", "Bearer " + TOKENS.issue("c-1"), null))).isEqualTo(403);
    }

    @Test
    void theTokenMayComeAsAQueryParameterWhereNoHeaderCanBeSent() {
        assertThat(status(() -> access.requireCluster("c-1", null, TOKENS.issueReader("c-1")))).isEqualTo(200);
        assertThat(status(() -> access.requireCluster("c-1", null, TOKENS.issueReader("c-2")))).isEqualTo(403);
    }

    @Test
    void withoutATokenTheAnswerIs401SayingWhereTheReaderTokenIs() {
        assertThatThrownBy(() -> access.requireCluster("c-1", null, null)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(401);
            assertThat(e.problem().detail()).contains("GET /api/v1/clusters/{id}");
        });
        assertThat(status(() -> access.requireCluster("c-1", "Bearer ", ""))).isEqualTo(401);
        assertThat(status(() -> access.requireCluster("c-1", "Basic dXNlcjpwdw==", null))).isEqualTo(401);
    }

    @Test
    void onlyTheOperatorTokenReadsAcrossClusters() {
        assertThat(status(() -> access.requireCluster("c-9", "Bearer " + OPERATOR, null))).isEqualTo(200);
        assertThatCode(() -> access.requireOperator("Bearer " + OPERATOR, null, "clusterId")).doesNotThrowAnyException();
        assertThatThrownBy(() -> access.requireOperator("Bearer " + TOKENS.issueReader("c-1"), null, "clusterId"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(403);
                    assertThat(e.problem().detail()).contains("give clusterId");
                });
        assertThat(status(() -> access.requireOperator("Bearer " + OPERATOR + "x", null, null))).isEqualTo(403);
    }

    @Test
    void withoutAnOperatorTokenNobodyReadsAcrossClusters() {
        ClusterReadAccess noOperator = new ClusterReadAccess(SECRET, TokenGenerations.none(), Optional.empty());
        assertThat(status(() -> noOperator.requireOperator("Bearer " + OPERATOR, null, null))).isEqualTo(403);
        assertThat(status(() -> noOperator.requireCluster("c-1", "Bearer " + TOKENS.issueReader("c-1"), null))).isEqualTo(200);
    }

    @Test
    void aShortOperatorTokenIsRefusedAtStart() {
        assertThatThrownBy(() -> new ClusterReadAccess(SECRET, TokenGenerations.none(), Optional.of("short")))
                .hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> new ClusterReadAccess(SECRET, TokenGenerations.none(), Optional.of("REPLACE-ME-operator-token")))
                .hasMessageContaining("placeholder");
    }

    @Test
    void aReadWithoutAClusterIsTheOperatorsAlone() {
        String reader = "Bearer " + TOKENS.issueReader("c-1");
        assertThat(status(() -> access.requireClusterOrAll("c-1", reader, null))).isEqualTo(200);
        assertThat(status(() -> access.requireClusterOrAll(" c-1 ", reader, null))).isEqualTo(200);
        assertThat(status(() -> access.requireClusterOrAll("c-2", reader, null))).isEqualTo(403);
        assertThat(status(() -> access.requireClusterOrAll(null, reader, null))).isEqualTo(403);
        assertThat(status(() -> access.requireClusterOrAll("", "Bearer " + OPERATOR, null))).isEqualTo(200);
        assertThat(status(() -> access.requireClusterOrAll("../etc", "Bearer " + OPERATOR, null))).isEqualTo(400);
        assertThat(status(() -> access.requireClusterOrAll("../etc", null, null))).isEqualTo(401);
    }

    @Test
    void aRevokedClustersOldTokensNoLongerReadItWhileOtherClustersAndTheOperatorAreUntouched() {
        ClusterReadAccess revoked = new ClusterReadAccess(SECRET, clusterId -> clusterId.equals("c-1") ? 3 : 0, Optional.of(OPERATOR));
        assertThat(status(() -> revoked.requireCluster("c-1", "Bearer " + TOKENS.issueReader("c-1"), null))).isEqualTo(403);
        assertThat(status(() -> revoked.requireCluster("c-1", "Bearer " + TOKENS.issue("c-1", 2), null))).isEqualTo(403);
        assertThat(status(() -> revoked.requireCluster("c-1", "Bearer " + TOKENS.issueReader("c-1", 3), null))).isEqualTo(200);
        assertThat(status(() -> revoked.requireCluster("c-1", "Bearer " + TOKENS.issue("c-1", 3), null))).isEqualTo(200);
        assertThat(status(() -> revoked.requireCluster("c-2", "Bearer " + TOKENS.issueReader("c-2"), null))).isEqualTo(200);
        assertThat(status(() -> revoked.requireCluster("c-1", "Bearer " + OPERATOR, null))).isEqualTo(200);
    }

    @Test
    void untilTheRevocationsAreReadNoClusterTokenPassesAndTheAnswerSaysToRetry() {
        TokenGenerations loading = new TokenGenerations() {
            @Override
            public long minimum(String clusterId) {
                return 0;
            }

            @Override
            public boolean loaded() {
                return false;
            }
        };
        ClusterReadAccess starting = new ClusterReadAccess(SECRET, loading, Optional.of(OPERATOR));
        assertThatThrownBy(() -> starting.requireCluster("c-1", "Bearer " + TOKENS.issueReader("c-1"), null))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.problem().detail()).contains("try again");
                });
        assertThat(status(() -> starting.requireCluster("c-1", "Bearer " + OPERATOR, null))).isEqualTo(200);
    }
}
