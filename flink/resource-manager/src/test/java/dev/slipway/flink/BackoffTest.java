package dev.slipway.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration FIRST = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void stepsDoubleUpToTheMaximum() {
        Backoff backoff = new Backoff(FIRST, MAX, 0.5);

        assertThat(backoff.first()).isEqualTo(FIRST);
        assertThat(backoff.next(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.next(Duration.ofSeconds(8))).isEqualTo(MAX);
        assertThat(new Backoff(Duration.ofSeconds(30), MAX, 0).first()).as("a first step beyond the maximum").isEqualTo(MAX);
    }

    @Test
    void theWaitIsStretchedByAtMostTheJitterOfItself() {
        assertThat(new Backoff(FIRST, MAX, 0.5, () -> 0.0).delay(Duration.ofSeconds(2), null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(new Backoff(FIRST, MAX, 0.5, () -> 0.5).delay(Duration.ofSeconds(2), null)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(new Backoff(FIRST, MAX, 0.5, () -> 0.999).delay(Duration.ofSeconds(2), null)).isEqualTo(Duration.ofMillis(2_999));
        assertThat(new Backoff(FIRST, MAX, 0, () -> 0.999).delay(Duration.ofSeconds(2), null)).as("jitter off")
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void waitsOfJobManagersFailedTogetherSpreadOut() {
        Backoff backoff = new Backoff(FIRST, MAX, 0.5);

        long distinct = IntStream.range(0, 1_000).mapToObj(i -> backoff.delay(Duration.ofSeconds(10), null))
                .peek(delay -> assertThat(delay).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(15)))
                .distinct().count();
        assertThat(distinct).as("1,000 waits of one step over 5,000 possible milliseconds").isGreaterThan(500);
    }

    @Test
    void aRetryAfterLongerThanTheStepIsWaitedAndAShorterOneIsNot() {
        Backoff backoff = new Backoff(FIRST, MAX, 0.5, () -> 0.0);
        PlatformException overloaded = new PlatformException("the platform answered 503", true, Duration.ofSeconds(3));

        assertThat(backoff.delay(Duration.ofMillis(400), overloaded)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(Duration.ofSeconds(8), overloaded)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(Duration.ofMillis(400), new ConnectException("refused"))).isEqualTo(Duration.ofMillis(400));
        assertThat(new Backoff(FIRST, MAX, 0.5, () -> 0.5).delay(Duration.ofMillis(400), overloaded)).as("stretched above it")
                .isEqualTo(Duration.ofMillis(3_750));
    }

    @Test
    void aJitterOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Backoff(FIRST, MAX, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1");
    }
}
