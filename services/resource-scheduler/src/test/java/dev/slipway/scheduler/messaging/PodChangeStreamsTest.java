package dev.slipway.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.resources.PodRole;
import dev.slipway.scheduling.PodRecord;
import dev.slipway.scheduling.PodStatus;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodChangeStreamsTest {

    private final PodChangeStreams streams = new PodChangeStreams();

    @Test
    void aChangeReachesTheStreamsOfItsOwnClusterOnly() {
        AssertSubscriber<ResourceView.PodChange> first = streams.of("alpha").subscribe().withSubscriber(AssertSubscriber.create(10));
        AssertSubscriber<ResourceView.PodChange> second = streams.of("alpha").subscribe().withSubscriber(AssertSubscriber.create(10));
        AssertSubscriber<ResourceView.PodChange> other = streams.of("beta").subscribe().withSubscriber(AssertSubscriber.create(10));

        streams.publish(change("alpha", "alpha-tm-0"));
        streams.publish(change("gamma", "gamma-tm-0"));

        assertThat(first.getItems()).extracting(change -> change.pod().name()).containsExactly("alpha-tm-0");
        assertThat(second.getItems()).extracting(change -> change.pod().name()).containsExactly("alpha-tm-0");
        assertThat(other.getItems()).isEmpty();
        assertThat(streams.open()).isEqualTo(3);
    }

    @Test
    void aCancelledStreamIsForgottenAndGetsNothingMore() {
        AssertSubscriber<ResourceView.PodChange> leaving = streams.of("alpha").subscribe().withSubscriber(AssertSubscriber.create(10));
        AssertSubscriber<ResourceView.PodChange> staying = streams.of("alpha").subscribe().withSubscriber(AssertSubscriber.create(10));

        leaving.cancel();
        streams.publish(change("alpha", "alpha-tm-1"));

        assertThat(leaving.getItems()).isEmpty();
        assertThat(staying.getItems()).hasSize(1);
        assertThat(streams.open()).isEqualTo(1);
        staying.cancel();
        assertThat(streams.open()).isZero();
    }

    @Test
    void aReaderThatDoesNotKeepUpIsBufferedUpToTheBoundAndFailedBeyondIt() {
        AssertSubscriber<ResourceView.PodChange> slow = streams.of("alpha").subscribe().withSubscriber(AssertSubscriber.create(0));

        for (int i = 0; i < PodChangeStreams.BUFFERED_CHANGES - 1; i++) {
            streams.publish(change("alpha", "alpha-tm-" + i));
        }
        slow.request(Long.MAX_VALUE);
        assertThat(slow.getItems()).hasSize(PodChangeStreams.BUFFERED_CHANGES - 1);
        slow.assertNotTerminated();
        assertThat(streams.open()).isEqualTo(1);

        AssertSubscriber<ResourceView.PodChange> stuck = streams.of("beta").subscribe().withSubscriber(AssertSubscriber.create(0));
        for (int i = 0; i < PodChangeStreams.BUFFERED_CHANGES + 10; i++) {
            streams.publish(change("beta", "beta-tm-" + i));
        }
        // The failure comes after what the buffer holds: the reader hears the changes it had, then that it lost some.
        stuck.request(Long.MAX_VALUE);
        stuck.assertFailedWith(Throwable.class);
        assertThat(stuck.getItems()).hasSizeLessThanOrEqualTo(PodChangeStreams.BUFFERED_CHANGES);
        assertThat(streams.open()).as("the failed stream is forgotten").isEqualTo(1);
    }

    @Test
    void closingCompletesEveryStreamAndOnesOpenedAfter() {
        AssertSubscriber<ResourceView.PodChange> open = streams.of("alpha").subscribe().withSubscriber(AssertSubscriber.create(10));

        streams.completeAll();

        open.assertCompleted();
        streams.of("beta").subscribe().withSubscriber(AssertSubscriber.create(10)).assertCompleted();
        assertThat(streams.open()).isZero();
    }

    private static ResourceView.PodChange change(String cluster, String pod) {
        return new ResourceView.PodChange(cluster, new PodRecord(pod, PodRole.TASK_MANAGER, "r-1", PodStatus.READY,
                Instant.EPOCH, Instant.EPOCH, "node-1", null));
    }
}
