package dev.slipway.provisioner.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The drawing of a pod's life: the distributions it promises, and the same lives from the same seed. */
class PodLivesTest {

    private static final Instant CREATED = ManualTime.START;

    private static SimulationSettings settings(Duration median, Duration p99, double startFailures, double ooms, double evictions) {
        return new SimulationSettings(Path.of("unused"), 1, 1, median, p99, startFailures, ooms, evictions, Duration.ZERO, 42);
    }

    @Test
    void readyDelaysHaveTheConfiguredMedianAndP99() {
        PodLives lives = new PodLives(settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 0, 0, 0), new SplittableRandom(42));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            millis.add(Duration.between(CREATED, lives.draw(CREATED).readyAt()).toMillis());
        }
        millis.sort(null);

        assertThat(millis.get(5_000)).isCloseTo(5_000L, within(250L));
        assertThat(millis.get(9_900)).isCloseTo(30_000L, within(3_000L));
        assertThat(millis.get(0)).isPositive();
    }

    @Test
    void aP99EqualToTheMedianIsAFixedDelay() {
        PodLives lives = new PodLives(settings(Duration.ofSeconds(3), Duration.ofSeconds(3), 0, 0, 0), new SplittableRandom(1));
        for (int i = 0; i < 100; i++) {
            assertThat(lives.draw(CREATED).readyAt()).isEqualTo(CREATED.plusSeconds(3));
        }
    }

    @Test
    void theSameSeedDrawsTheSameLives() {
        SimulationSettings settings = settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 0.1, 0.5, 0.5);
        PodLives one = new PodLives(settings, new SplittableRandom(7));
        PodLives other = new PodLives(settings, new SplittableRandom(7));
        for (int i = 0; i < 1_000; i++) {
            assertThat(one.draw(CREATED)).isEqualTo(other.draw(CREATED));
        }
    }

    @Test
    void aStartFailureComesInsteadOfReadinessAndAKillAfterIt() {
        PodLives failing = new PodLives(settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 1, 0, 0), new SplittableRandom(3));
        PodLives.Life failed = failing.draw(CREATED);
        assertThat(failed.readyAt()).isNull();
        assertThat(failed.failure().reason()).isIn("ImagePullBackOff", "CrashLoopBackOff");

        PodLives killed = new PodLives(settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 0, 100, 0), new SplittableRandom(3));
        PodLives.Life oom = killed.draw(CREATED);
        assertThat(oom.failure().at()).isAfter(oom.readyAt());
        assertThat(oom.failure().reason()).isEqualTo("OOMKilled");
        assertThat(oom.failure().exitCode()).isEqualTo(137);
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedWithTheKey() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 1.5, 0, 0))
                .hasMessageContaining("start-failure-probability");
        assertThatThrownBy(() -> settings(Duration.ofSeconds(5), Duration.ofSeconds(1), 0, 0, 0))
                .hasMessageContaining("ready-delay-p99");
        assertThatThrownBy(() -> settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 0, -1, 0))
                .hasMessageContaining("oom-kills-per-pod-hour");
    }
}
