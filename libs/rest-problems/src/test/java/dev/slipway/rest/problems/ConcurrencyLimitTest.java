package dev.slipway.rest.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    private final ConcurrencyLimit limit = new ConcurrencyLimit(2, "replays", Duration.ofSeconds(5));

    @Test
    void theCallerBeyondTheLimitIsAnswered429WithRetryAfter() {
        try (ConcurrencyLimit.Permit first = limit.enter(); ConcurrencyLimit.Permit second = limit.enter()) {
            assertThatThrownBy(limit::enter).isInstanceOfSatisfying(ProblemException.class, busy -> {
                assertThat(busy.problem().status()).isEqualTo(429);
                assertThat(busy.problem().title()).isEqualTo("Too many replays at once");
                assertThat(busy.problem().detail()).contains("2 replays are running").contains("try again in 5 s");
                assertThat(busy.retryAfter()).contains(Duration.ofSeconds(5));
            });
        }
        assertThat(limit.available()).isEqualTo(2);
    }

    @Test
    void aClosedPermitLetsTheNextCallerInAndClosingTwiceFreesOnlyOne() {
        ConcurrencyLimit one = new ConcurrencyLimit(1, "replays", Duration.ofSeconds(1));
        ConcurrencyLimit.Permit permit = one.enter();
        assertThatThrownBy(one::enter).isInstanceOf(ProblemException.class);
        permit.close();
        permit.close();
        assertThat(one.available()).isEqualTo(1);
        try (ConcurrencyLimit.Permit next = one.enter()) {
            assertThat(one.available()).isZero();
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new ConcurrencyLimit(0, "replays", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be at least 1, not 0");
    }
}
