package dev.slipway.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given these events, when this one, expect these decisions. */
class DeciderTest {

    private final ClusterEvents c = new ClusterEvents("c1");
    private final ClusterState state = new ClusterState("c1");

    private List<Decision> given(ResourceEvent... events) {
        List<Decision> all = new ArrayList<>();
        for (ResourceEvent event : events) {
            all.addAll(Decider.handle(state, event));
        }
        return all;
    }

    private List<String> when(ResourceEvent event) {
        return Summary.of(Decider.handle(state, event));
    }

    /** An ELASTIC cluster whose JobManager and warm pods are all created and ready. */
    private void readyElastic(int warmPool, int max) {
        given(c.created(0, ClusterEvents.elastic(warmPool, max, 300)));
        given(c.ready(2, c.pod("jm", 0), PodRole.JOB_MANAGER, "node-a"));
        for (int i = 0; i < warmPool; i++) {
            given(c.tmReady(3, c.pod("tm", i)));
        }
    }

    @Nested
    class Elastic {

        @Test
        void aNewClusterGetsItsJobManagerAndItsWarmPool() {
            List<Decision> decisions = given(c.created(0, ClusterEvents.elastic(2, 10, 300)));
            assertThat(Summary.of(decisions)).containsExactly("provision c1-jm-0", "provision c1-tm-0", "provision c1-tm-1");
            assertThat(decisions.get(0).reason()).isEqualTo("JobManagers: 0 of 1 live; provisioning 1");
            assertThat(decisions.get(1).reason()).isEqualTo("warm pool of 2 has 0 live; provisioning 2");
            ProvisionPod jm = (ProvisionPod) decisions.get(0);
            assertThat(jm.role()).isEqualTo(PodRole.JOB_MANAGER);
            assertThat(jm.resources().memoryMb()).isEqualTo(1600);
            assertThat(jm.generation()).isEqualTo(1);
            assertThat(jm.causeEventId()).isEqualTo("c1-e1");
        }

        @Test
        void aRequestGetsNewPodsEvenWithWarmPodsAround() {
            // A warm pod is Flink's from the moment it exists: Flink asks only for what its slots do not cover.
            readyElastic(1, 10);
            List<Decision> decisions = Decider.handle(state, c.request(10, "r-17", 2));
            assertThat(Summary.of(decisions)).containsExactly("provision c1-tm-1 for r-17", "provision c1-tm-2 for r-17");
            assertThat(decisions.get(0).reason()).isEqualTo("request r-17 needs 2 TaskManagers; provisioning 2");
            // The warm pod stays warm, and the pool is not refilled: 3 live TaskManagers are above its floor of 1.
            assertThat(state.pod(c.pod("tm", 0)).warm()).isTrue();
            assertThat(state.warmTaskManagers()).isEqualTo(1);
            assertThat(state.liveTaskManagers()).isEqualTo(3);
        }

        @Test
        void warmPodsCountTowardsTheLimit() {
            readyElastic(2, 3);
            List<Decision> decisions = Decider.handle(state, c.request(10, "r-1", 2));
            assertThat(Summary.of(decisions)).containsExactly("refuse 1 of 2 for r-1", "provision c1-tm-2 for r-1");
            assertThat(decisions.get(0).reason())
                    .isEqualTo("request r-1 needs 2 TaskManagers; the cluster maximum is 3 and 2 are live; refusing 1");
        }

        @Test
        void withoutAWarmPoolEveryTaskManagerIsProvisionedOnDemand() {
            readyElastic(0, 10);
            assertThat(when(c.request(10, "r-1", 3)))
                    .containsExactly("provision c1-tm-0 for r-1", "provision c1-tm-1 for r-1", "provision c1-tm-2 for r-1");
        }

        @Test
        void aRequestBeyondTheMaximumIsRefusedInPartWithTheReason() {
            readyElastic(0, 3);
            given(c.request(10, "r-1", 2));
            List<Decision> decisions = Decider.handle(state, c.request(11, "r-2", 3));
            assertThat(Summary.of(decisions)).containsExactly("refuse 2 of 3 for r-2", "provision c1-tm-2 for r-2");
            assertThat(decisions.get(0).reason())
                    .isEqualTo("request r-2 needs 3 TaskManagers; the cluster maximum is 3 and 2 are live; refusing 2");
            assertThat(state.liveTaskManagers()).isEqualTo(3);
        }

        @Test
        void theTenantQuotaBindsWhenItIsBelowTheClusterMaximum() {
            given(c.created(0, ClusterEvents.elastic(0, 10, 300, 1)));
            List<Decision> decisions = Decider.handle(state, c.request(10, "r-1", 2));
            assertThat(Summary.of(decisions)).containsExactly("refuse 1 of 2 for r-1", "provision c1-tm-0 for r-1");
            assertThat(decisions.get(0).reason()).contains("the tenant quota allows 1 TaskManagers");
        }

        @Test
        void aTaskManagerReleasedByFlinkIsDeletedAndItsRequestCloses() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 1), c.tmReady(14, c.pod("tm", 0)));
            List<Decision> decisions = Decider.handle(state, c.release(100, c.pod("tm", 0)));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-0");
            assertThat(decisions.get(0).reason()).isEqualTo("Flink released c1-tm-0 (idle); it served request r-1");
            assertThat(state.openRequests()).isEmpty();
            assertThat(when(c.tick(110))).isEmpty();
        }

        @Test
        void aWarmPodFlinkReleasesIsDeletedAndThePoolRefilledBelowItsFloor() {
            // A TaskManager Flink let go cannot register with it again: keeping it would keep a useless pod.
            readyElastic(1, 10);
            List<Decision> decisions = Decider.handle(state, c.release(50, c.pod("tm", 0)));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-0", "provision c1-tm-1");
            assertThat(decisions.get(0).reason()).isEqualTo("Flink released c1-tm-0 (idle)");
            assertThat(decisions.get(1).reason()).isEqualTo("warm pool of 1 has 0 live; provisioning 1");
        }

        @Test
        void aWarmPodFlinkReleasesIsNotReplacedWhileLiveTaskManagersKeepTheFloor() {
            readyElastic(1, 10);
            given(c.request(10, "r-1", 1), c.tmReady(14, c.pod("tm", 1)));
            assertThat(when(c.release(50, c.pod("tm", 0)))).containsExactly("delete c1-tm-0");
            assertThat(state.liveTaskManagers()).isEqualTo(1);
            assertThat(state.warmTaskManagers()).isZero();
        }

        @Test
        void aWarmPoolAtItsFloorNeverIdlesOut() {
            readyElastic(2, 10);
            assertThat(state.waitingForTime()).isFalse();
            assertThat(when(c.tick(100_000))).isEmpty();
            assertThat(state.warmTaskManagers()).isEqualTo(2);
        }

        @Test
        void aWarmPodFlinkRunsTasksOnNeverIdlesOutWhileThePoolIsUnchanged() {
            readyElastic(1, 10);
            given(c.request(10, "r-1", 1), c.tmReady(14, c.pod("tm", 1)));
            // 2 live, floor 1: Slipway cannot see slots, so only Flink judges whether c1-tm-0 idles.
            assertThat(when(c.tick(10_000))).isEmpty();
            // When Flink lets the last one go, the pool is below its floor again.
            assertThat(when(c.release(10_001, c.pod("tm", 0)))).containsExactly("delete c1-tm-0");
            assertThat(when(c.release(10_002, c.pod("tm", 1)))).containsExactly("delete c1-tm-1", "provision c1-tm-2");
        }

        @Test
        void warmPodsBeyondThePoolAreReleasedOnlyAfterTheIdleTimeout() {
            readyElastic(2, 10);
            // The pool shrinks from 2 to 1: one warm pod is surplus, but not idle long enough yet.
            assertThat(when(c.changed(100, 2, ClusterEvents.elastic(1, 10, 300)))).isEmpty();
            assertThat(when(c.tick(302))).isEmpty();
            List<Decision> decisions = Decider.handle(state, c.tick(303));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-0");
            assertThat(decisions.get(0).reason())
                    .isEqualTo("warm c1-tm-0 idle for 300 s (idle timeout 300 s) and the warm pool of 1 is full without it");
            assertThat(when(c.tick(1000))).isEmpty();
        }

        @Test
        void aPodNotReadyWithinTheStartTimeoutIsRemovedAndItsRequestEnds() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 1));
            assertThat(when(c.tick(129))).isEmpty();
            List<Decision> decisions = Decider.handle(state, c.tick(130));
            // Flink asks again at once for a worker it still needs: a replacement here would start two.
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-0");
            assertThat(decisions.get(0).reason())
                    .isEqualTo("c1-tm-0 not ready 120 s after it was requested (start timeout); removing it");
            assertThat(state.openRequests()).isEmpty();
            assertThat(state.lastFailure()).isEqualTo("c1-tm-0 not ready 120 s after it was requested (start timeout)");
            assertThat(when(c.request(131, "r-2", 1))).containsExactly("provision c1-tm-1 for r-2");
        }

        @Test
        void onlyAClusterWithAPendingTimeoutWaitsForTime() {
            readyElastic(0, 10);
            assertThat(state.waitingForTime()).as("all pods ready, nothing to time out").isFalse();
            given(c.request(10, "r-1", 1));
            assertThat(state.waitingForTime()).as("a pod not ready yet has a start timeout").isTrue();
            given(c.tmReady(14, c.pod("tm", 0)));
            assertThat(state.waitingForTime()).isFalse();
            given(c.changed(20, 2, ClusterEvents.elastic(0, 10, 300)));
            assertThat(state.waitingForTime()).isFalse();
        }

        @Test
        void aPodThatFailsBeforeItIsReadyEndsItsSlotAndFlinksNewRequestGetsANewPod() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 2));
            List<Decision> decisions = Decider.handle(state, c.failed(12, c.pod("tm", 0), "ImagePullBackOff"));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-0");
            assertThat(decisions.get(0).reason()).isEqualTo("c1-tm-0 failed (ImagePullBackOff, exit 137); removing the failed pod");
            // r-1 stays open for the pod still starting; the failed one's slot has ended.
            assertThat(state.openRequests()).singleElement().satisfies(request -> {
                assertThat(request.requestId()).isEqualTo("r-1");
                assertThat(request.ended()).isEqualTo(1);
            });
            assertThat(when(c.request(13, "r-2", 1))).containsExactly("provision c1-tm-2 for r-2");
        }

        @Test
        void aPodDeletedOutsideSlipwayEndsItsRequestAndCountsAsAFailure() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 1));
            assertThat(when(c.podDeleted(12, c.pod("tm", 0)))).isEmpty();
            assertThat(state.openRequests()).isEmpty();
            assertThat(state.lastFailure()).isEqualTo("c1-tm-0 was deleted outside Slipway");
        }

        @Test
        void aPodThatFailsAfterServingEndsItsSlotBecauseFlinkRequestsAnew() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 1), c.tmReady(14, c.pod("tm", 0)));
            assertThat(when(c.failed(60, c.pod("tm", 0), "OOMKilled"))).containsExactly("delete c1-tm-0");
            assertThat(state.openRequests()).isEmpty();
        }

        @Test
        void aRepeatedCrashLoopBacksOffExponentiallyAndMarksTheClusterDegraded() {
            readyElastic(0, 10);
            // Each failed pod ends its request; Flink asks again at once, with a new request id.
            given(c.request(10, "r-1", 1));
            assertThat(when(c.failed(11, c.pod("tm", 0), "OOMKilled"))).containsExactly("delete c1-tm-0");
            assertThat(when(c.request(11, "r-2", 1))).containsExactly("provision c1-tm-1 for r-2");
            assertThat(when(c.failed(12, c.pod("tm", 1), "OOMKilled"))).containsExactly("delete c1-tm-1");
            assertThat(when(c.request(12, "r-3", 1))).containsExactly("provision c1-tm-2 for r-3");
            List<Decision> third = Decider.handle(state, c.failed(13, c.pod("tm", 2), "OOMKilled"));
            // Threshold 3 reached: degraded, back-off 10 s; a new request waits for it.
            assertThat(Summary.of(third)).containsExactly("delete c1-tm-2", "health DEGRADED");
            assertThat(third.get(1).reason()).startsWith("3 pod failures in a row (last: c1-tm-2 failed (OOMKilled, exit 137)); new pods wait 10 s");
            assertThat(state.health()).isEqualTo(ClusterHealth.DEGRADED);
            assertThat(when(c.request(14, "r-4", 1))).isEmpty();
            assertThat(when(c.tick(22))).isEmpty();
            assertThat(when(c.tick(23))).containsExactly("provision c1-tm-3 for r-4");
            // The fourth failure doubles the back-off to 20 s.
            assertThat(when(c.failed(24, c.pod("tm", 3), "OOMKilled"))).containsExactly("delete c1-tm-3");
            assertThat(state.backoffUntil()).isEqualTo(ClusterEvents.at(44));
            assertThat(when(c.request(25, "r-5", 1))).isEmpty();
            assertThat(when(c.tick(43))).isEmpty();
            assertThat(when(c.tick(44))).containsExactly("provision c1-tm-4 for r-5");
            // A ready pod ends the crash loop.
            assertThat(when(c.tmReady(50, c.pod("tm", 4)))).containsExactly("health HEALTHY");
            assertThat(state.backingOff()).isFalse();
        }

        @Test
        void theBackOffNeverExceedsItsMaximum() {
            readyElastic(0, 10);
            for (int i = 0; i < 8; i++) {
                // Every 200 s (longer than any back-off) Flink asks for a TaskManager, which fails.
                assertThat(when(c.request(20 + i * 200, "r-" + i, 1))).containsExactly("provision c1-tm-" + i + " for r-" + i);
                given(c.failed(21 + i * 200, c.pod("tm", i), "Error"));
            }
            // initial 10 s, doubling from the third failure: 10, 20, 40, 80, 160, then 160 (the maximum) again
            assertThat(java.time.Duration.between(ClusterEvents.at(21 + 7 * 200), state.backoffUntil()).toSeconds())
                    .isEqualTo(160);
        }

        @Test
        void provisionDecisionsCarryWhereTheClustersTaskManagersRunForSpreading() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 3));
            given(c.ready(14, c.pod("tm", 0), PodRole.TASK_MANAGER, "node-a"),
                    c.ready(14, c.pod("tm", 1), PodRole.TASK_MANAGER, "node-a"),
                    c.ready(15, c.pod("tm", 2), PodRole.TASK_MANAGER, "node-b"));
            ProvisionPod next = (ProvisionPod) Decider.handle(state, c.request(20, "r-2", 1)).get(0);
            assertThat(next.placement().taskManagersPerNode()).isEqualTo(Map.of("node-a", 2, "node-b", 1));
            assertThat(next.placement().spreadGroup()).isEqualTo("c1");
            assertThat(next.placement().topologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(next.placement().maxSkew()).isEqualTo(1);
        }

        @Test
        void loweringTheMaximumRemovesSurplusWarmPodsButNeverServingOnes() {
            readyElastic(3, 10);
            given(c.request(10, "r-1", 2));
            // Warm tm-0..2 and tm-3, tm-4 (pending) for r-1.
            assertThat(state.liveTaskManagers()).isEqualTo(5);
            List<String> decisions = when(c.changed(20, 2, ClusterEvents.elastic(1, 3, 300)));
            // All warm pods are ready and equally old: the last by name go first.
            assertThat(decisions).containsExactly("delete c1-tm-2", "delete c1-tm-1");
            assertThat(state.pod(c.pod("tm", 0)).live()).isTrue();
            assertThat(state.pod(c.pod("tm", 3)).live()).isTrue();
            assertThat(state.pod(c.pod("tm", 4)).live()).isTrue();
        }
    }

    @Nested
    class Static {

        @Test
        void keepsExactlyItsCountAndReplacesFailedTaskManagers() {
            assertThat(Summary.of(given(c.created(0, ClusterEvents.staticCount(2)))))
                    .containsExactly("provision c1-jm-0", "provision c1-tm-0", "provision c1-tm-1");
            given(c.tmReady(5, c.pod("tm", 0)), c.tmReady(5, c.pod("tm", 1)));
            List<Decision> decisions = Decider.handle(state, c.failed(60, c.pod("tm", 1), "Evicted"));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-1", "provision c1-tm-2");
            assertThat(decisions.get(1).reason()).isEqualTo("STATIC cluster keeps 2 TaskManagers; 1 live; provisioning 1");
        }

        @Test
        void aTaskManagerFlinkReleasesIsDeletedAndReplaced() {
            // Flink cannot take a released TaskManager back, so the fixed count is kept with a new one.
            given(c.created(0, ClusterEvents.staticCount(2)), c.tmReady(5, c.pod("tm", 0)), c.tmReady(5, c.pod("tm", 1)));
            List<Decision> decisions = Decider.handle(state, c.release(60, c.pod("tm", 0)));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-tm-0", "provision c1-tm-2");
            assertThat(decisions.get(0).reason()).isEqualTo("Flink released c1-tm-0 (idle)");
        }

        @Test
        void growsAndShrinksWithItsSpec() {
            given(c.created(0, ClusterEvents.staticCount(2)));
            assertThat(when(c.changed(10, 2, ClusterEvents.staticCount(3)))).containsExactly("provision c1-tm-2");
            assertThat(when(c.changed(20, 3, ClusterEvents.staticCount(1)))).containsExactly("delete c1-tm-2", "delete c1-tm-1");
        }

        @Test
        void refusesResourceRequestsWithAReasonThatSaysWhatToDo() {
            given(c.created(0, ClusterEvents.staticCount(2)));
            List<Decision> decisions = Decider.handle(state, c.request(10, "r-1", 1));
            assertThat(Summary.of(decisions)).containsExactly("refuse 1 of 1 for r-1");
            assertThat(decisions.get(0).reason()).contains("STATIC with 2 fixed TaskManagers").contains("use ELASTIC mode");
        }
    }

    @Nested
    class JobManager {

        @Test
        void aFailedJobManagerIsReplaced() {
            readyElastic(0, 10);
            assertThat(when(c.failed(50, c.pod("jm", 0), "OOMKilled"))).containsExactly("delete c1-jm-0", "provision c1-jm-1");
        }

        @Test
        void aJobManagerDeletedOutsideSlipwayIsReplaced() {
            readyElastic(0, 10);
            assertThat(when(c.podDeleted(50, c.pod("jm", 0)))).containsExactly("provision c1-jm-1");
        }

        @Test
        void withHighAvailabilityTheTaskManagersStayForTheNextJobManager() {
            readyElastic(1, 10);
            given(c.request(10, "r-1", 1), c.tmReady(14, c.pod("tm", 1)));
            assertThat(when(c.failed(50, c.pod("jm", 0), "Killed"))).containsExactly("delete c1-jm-0", "provision c1-jm-1");
            assertThat(state.liveTaskManagers()).isEqualTo(2);
        }

        @Test
        void withoutHighAvailabilityTheTaskManagersOfTheLastJobManagerGoAndTheNextGetsItsOwn() {
            given(c.created(0, ClusterEvents.elastic(1, 10, 300).withHighAvailability(false)));
            given(c.ready(2, c.pod("jm", 0), PodRole.JOB_MANAGER, "node-a"), c.tmReady(3, c.pod("tm", 0)));
            given(c.request(10, "r-1", 1), c.tmReady(14, c.pod("tm", 1)));

            List<Decision> decisions = Decider.handle(state, c.failed(50, c.pod("jm", 0), "Killed"));
            assertThat(Summary.of(decisions)).containsExactly("delete c1-jm-0", "delete c1-tm-0", "delete c1-tm-1",
                    "provision c1-jm-1", "provision c1-tm-2");
            assertThat(decisions.get(1).reason()).isEqualTo("c1-jm-0 is gone and cluster c1 runs without high availability: c1-tm-0"
                    + " knew only that JobManager; removing it");
            assertThat(state.openRequests()).as("the request ended with its pod; Flink's next JobManager asks again").isEmpty();
            assertThat(when(c.podDeleted(52, c.pod("tm", 1)))).as("our own deletion is no failure").isEmpty();
        }

        @Test
        void withoutHighAvailabilityAStaticClustersTaskManagersAreReplacedWithTheJobManager() {
            given(c.created(0, ClusterEvents.staticCount(2).withHighAvailability(false)));
            given(c.ready(2, c.pod("jm", 0), PodRole.JOB_MANAGER, "node-a"), c.tmReady(3, c.pod("tm", 0)), c.tmReady(3, c.pod("tm", 1)));
            assertThat(when(c.podDeleted(50, c.pod("jm", 0)))).containsExactly("delete c1-tm-0", "delete c1-tm-1", "provision c1-jm-1",
                    "provision c1-tm-2", "provision c1-tm-3");
        }
    }

    @Nested
    class Deletion {

        @Test
        void deletingAClusterDeletesEveryPodAndRefusesItsOpenRequests() {
            readyElastic(0, 4);
            given(c.request(10, "r-1", 2));
            given(c.failed(11, c.pod("tm", 0), "Error"), c.failed(11, c.pod("tm", 1), "Error"));
            given(c.request(11, "r-2", 2), c.failed(12, c.pod("tm", 2), "Error"));
            // Backing off: r-2 is served by tm-3 (pending) and Flink's r-3 waits when the cluster goes.
            given(c.request(13, "r-3", 1));
            assertThat(state.backingOff()).isTrue();
            List<String> decisions = when(c.deleted(20));
            assertThat(decisions).containsExactly("refuse 1 of 1 for r-3", "delete c1-jm-0", "delete c1-tm-3");
            assertThat(state.openRequests()).isEmpty();
            assertThat(state.deleted()).isTrue();
            assertThat(when(c.request(30, "r-4", 1))).containsExactly("refuse 1 of 1 for r-4");
            assertThat(when(c.tick(400))).isEmpty();
            assertThat(when(c.changed(401, 5, ClusterEvents.elastic(3, 10, 300)))).isEmpty();
        }

        @Test
        void aPodThatAppearsAfterDeletionIsRemoved() {
            readyElastic(0, 2);
            given(c.deleted(20));
            assertThat(when(c.podCreated(21, "c1-tm-7", PodRole.TASK_MANAGER))).containsExactly("delete c1-tm-7");
        }
    }

    @Nested
    class AtLeastOnceDelivery {

        @Test
        void aRedeliveredEventDecidesNothing() {
            var created = c.created(0, ClusterEvents.elastic(1, 10, 300));
            given(created);
            var request = c.request(10, "r-1", 2);
            assertThat(when(request)).isNotEmpty();
            assertThat(when(request)).isEmpty();
            assertThat(when(created)).isEmpty();
        }

        @Test
        void aRetriedRequestWithTheSameIdIsTheSameRequest() {
            readyElastic(0, 10);
            assertThat(when(c.request(10, "r-1", 2))).hasSize(2);
            assertThat(when(c.request(11, "r-1", 2))).isEmpty();
        }

        @Test
        void aStaleSpecGenerationIsIgnored() {
            given(c.created(0, ClusterEvents.elastic(1, 10, 300)), c.changed(5, 3, ClusterEvents.elastic(2, 10, 300)));
            assertThat(when(c.changed(6, 2, ClusterEvents.elastic(5, 10, 300)))).isEmpty();
            assertThat(state.spec().elastic().warmPool()).isEqualTo(2);
        }

        @Test
        void factsAboutAPodThatIsGoneChangeNothing() {
            readyElastic(0, 10);
            given(c.request(10, "r-1", 1), c.tmReady(12, c.pod("tm", 0)), c.release(50, c.pod("tm", 0)),
                    c.podDeleted(51, c.pod("tm", 0)));
            assertThat(when(c.tmReady(52, c.pod("tm", 0)))).isEmpty();
            assertThat(when(c.failed(53, c.pod("tm", 0), "Error"))).isEmpty();
            assertThat(when(c.podCreated(54, c.pod("tm", 0), PodRole.TASK_MANAGER))).isEmpty();
            assertThat(state.pod(c.pod("tm", 0))).isNull();
        }

        @Test
        void timeNeverRunsBackwards() {
            readyElastic(0, 10);
            given(c.tick(100));
            given(c.request(50, "r-1", 1));
            assertThat(state.now()).isEqualTo(ClusterEvents.at(100));
            assertThat(state.openRequests()).singleElement().extracting(RequestRecord::requestedAt).isEqualTo(ClusterEvents.at(100));
        }
    }

    @Nested
    class Determinism {

        @Test
        void theSameEventsGiveTheSameDecisionsWithTheSameIds() {
            ClusterEvents events = new ClusterEvents("c9");
            List<ResourceEvent> trace = List.of(events.created(0, ClusterEvents.elastic(1, 5, 60)),
                    events.request(10, "r-1", 3), events.failed(12, "c9-tm-1", "OOMKilled"), events.tick(200));
            List<Decision> first = new ArrayList<>();
            List<Decision> second = new ArrayList<>();
            ClusterState a = new ClusterState("c9");
            ClusterState b = new ClusterState("c9");
            trace.forEach(event -> first.addAll(Decider.handle(a, event)));
            trace.forEach(event -> second.addAll(Decider.handle(b, event)));
            assertThat(first).isNotEmpty().isEqualTo(second);
            assertThat(first).extracting(Decision::decisionId).doesNotHaveDuplicates();
        }

        @Test
        void aCopiedStateDecidesLikeTheOriginal() {
            readyElastic(1, 10);
            ClusterState copy = state.copy();
            ResourceEvent request = c.request(10, "r-1", 2);
            assertThat(Decider.handle(copy, request)).isEqualTo(Decider.handle(state, request));
        }

        @Test
        void aWhatIfPolicyOverridesTheSpec() {
            List<Decision> decisions = Decider.handle(state, c.created(0, ClusterEvents.elastic(2, 10, 300)),
                    Policy.RECORDED.withWarmPool(0));
            assertThat(Summary.of(decisions)).containsExactly("provision c1-jm-0");
            assertThat(state.spec().elastic().warmPool()).isZero();
        }
    }
}
