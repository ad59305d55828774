package dev.slipway.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.junit.jupiter.api.Test;

/**
 * The driver as Flink's active resource manager drives it, against a scheduler the test plays. The test is the main
 * thread: it calls the driver, then runs what the driver queued or scheduled, moving time by hand.
 */
class SlipwayResourceManagerDriverTest {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final TaskExecutorProcessSpec TWO_CORES_1728_MB = TaskExecutorProcessUtils.newProcessSpecBuilder(new Configuration())
            .withCpuCores(2.0).withTotalProcessMemory(MemorySize.ofMebiBytes(1728)).build();
    private static final PlatformPod JOB_MANAGER = new PlatformPod("c1-jm-0", "JOB_MANAGER", null, "READY");

    private final ManualScheduledExecutor mainThread = new ManualScheduledExecutor();
    private final TestingSchedulerApi platform = new TestingSchedulerApi();
    private final TestingResourceEventHandler flink = new TestingResourceEventHandler();

    @Test
    void warmPodsListedAtStartAreReportedAsRecoveredWorkersOnce() throws Exception {
        platform.change(JOB_MANAGER, warm("c1-tm-0"), new PlatformPod("c1-tm-1", "TASK_MANAGER", null, "PENDING"),
                terminating("c1-tm-2"));

        start(platform, flink);

        // The follow lists again once its stream is open; what the first listing reported is not reported again.
        assertThat(platform.listings()).isEqualTo(2);
        assertThat(flink.recoveredReports()).containsExactly(List.of("c1-tm-0", "c1-tm-1"));
        assertThat(platform.following()).isTrue();
    }

    @Test
    void aClusterWithoutTaskManagersIsReportedAsNoRecoveredWorkers() throws Exception {
        platform.change(JOB_MANAGER);

        start(platform, flink);

        assertThat(flink.recoveredReports()).containsExactly(List.of());
    }

    @Test
    void aPlatformUnreachableAtStartIsReportedOnceItsListingAnswersAndThePodOfARequestMadeMeanwhileServesIt() throws Exception {
        platform.change(warm("c1-tm-0"));
        platform.failNextListings(new ConnectException("Connection refused"), new ConnectException("Connection refused"));
        SlipwayResourceManagerDriver driver = start(platform, flink);
        assertThat(flink.recoveredReports()).isEmpty();

        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        String requestId = onlyRequestId();
        platform.changeUnstreamed(serving("c1-tm-1", requestId, "PENDING"));
        mainThread.advance(SlipwayResourceManagerDriver.FIRST_BACKOFF);

        assertThat(flink.recoveredReports()).containsExactly(List.of("c1-tm-0"));
        assertThat(request).isCompletedWithValue(new SlipwayWorker("c1-tm-1"));
        // The hand-out window opens with the report: the warm pod is Flink's next request's.
        assertThat(driver.requestResource(TWO_CORES_1728_MB)).isCompletedWithValue(new SlipwayWorker("c1-tm-0"));
    }

    @Test
    void flinksFirstRequestsAreServedByUnregisteredWarmPodsWithinTheHandOutWindow() throws Exception {
        platform.change(JOB_MANAGER, warm("c1-tm-1"), warm("c1-tm-0"));
        SlipwayResourceManagerDriver driver = start(platform, flink);
        // A warm pod the platform adds later may register at once: it is recovered, never handed out.
        platform.change(warm("c1-tm-2"));
        mainThread.runDue();
        mainThread.advance(SlipwayResourceManagerDriver.WARM_HAND_OUT_WINDOW.minusMillis(1));

        CompletableFuture<SlipwayWorker> first = driver.requestResource(TWO_CORES_1728_MB);
        CompletableFuture<SlipwayWorker> second = driver.requestResource(TWO_CORES_1728_MB);
        CompletableFuture<SlipwayWorker> third = driver.requestResource(TWO_CORES_1728_MB);
        mainThread.runDue();

        assertThat(first).isCompletedWithValue(new SlipwayWorker("c1-tm-0"));
        assertThat(second).isCompletedWithValue(new SlipwayWorker("c1-tm-1"));
        assertThat(third).isNotDone();
        assertThat(platform.requests()).hasSize(1);
        assertThat(flink.recoveredReports()).containsExactly(List.of("c1-tm-1", "c1-tm-0"), List.of("c1-tm-2"));
        // The handed-out pods' own changes are nothing new.
        platform.change(warm("c1-tm-0"));
        mainThread.runDue();
        assertThat(flink.recovered()).hasSize(3);
    }

    @Test
    void noWarmPodIsHandedOutOnceTheWindowHasPassed() throws Exception {
        platform.change(warm("c1-tm-0"));
        SlipwayResourceManagerDriver driver = start(platform, flink);
        mainThread.advance(SlipwayResourceManagerDriver.WARM_HAND_OUT_WINDOW);

        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        mainThread.runDue();

        assertThat(request).isNotDone();
        assertThat(platform.requests()).hasSize(1);
    }

    @Test
    void aWarmPodThatIsGoneOrReleasedIsNotHandedOut() throws Exception {
        platform.change(warm("c1-tm-0"), warm("c1-tm-1"));
        SlipwayResourceManagerDriver driver = start(platform, flink);
        platform.change(terminating("c1-tm-0"));
        mainThread.runDue();
        driver.releaseResource(new SlipwayWorker("c1-tm-1"));
        mainThread.runDue();

        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        mainThread.runDue();

        assertThat(request).isNotDone();
        assertThat(platform.requests()).hasSize(1);
        assertThat(flink.terminations()).containsExactly("c1-tm-0");
        assertThat(platform.releases()).containsExactly(new Release("c1-tm-1", SlipwayResourceManagerDriver.RELEASED_BY_FLINK));
    }

    @Test
    void aRequestIsCompletedByThePodThatServesItsRequestId() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);

        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        mainThread.runDue();
        String requestId = onlyRequestId();
        assertThat(requestId).matches("[0-9a-f]{8}-0");
        // One TaskManager of the size Flink's spec names: a request and the registration must describe the same worker.
        assertThat(platform.requests()).containsExactly(
                new ResourceRequest(requestId, 1, new ResourceRequest.TaskManagerSize(2.0, 1728, 0)));
        // A pod the platform made on its own meanwhile (a warm pool refilled) serves no request of Flink's.
        platform.change(warm("c1-tm-0"));
        mainThread.runDue();
        assertThat(request).isNotDone();

        platform.change(serving("c1-tm-1", requestId, "PENDING"));
        mainThread.runDue();
        platform.change(serving("c1-tm-1", requestId, "READY"));
        mainThread.runDue();

        assertThat(request).isCompletedWithValue(new SlipwayWorker("c1-tm-1"));
        assertThat(flink.recoveredReports()).containsExactly(List.of(), List.of("c1-tm-0"));
        assertThat(driver.requestResource(TWO_CORES_1728_MB)).isNotDone();
        assertThat(platform.requests().get(1).requestId()).isEqualTo(requestId.replaceAll("-0$", "-1"));
    }

    @Test
    void aPodThatFailsBeforeItIsReadyIsReportedAsATerminatedWorkerOnce() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        String requestId = onlyRequestId();
        platform.change(serving("c1-tm-0", requestId, "PENDING"));
        mainThread.runDue();
        assertThat(request).isCompletedWithValue(new SlipwayWorker("c1-tm-0"));

        // The decision to delete it, then the deletion itself: the platform streams both as TERMINATING.
        platform.change(terminating("c1-tm-0"), terminating("c1-tm-0"));
        mainThread.runDue();

        assertThat(flink.terminations()).containsExactly("c1-tm-0");
        assertThat(flink.terminated().get("c1-tm-0")).contains("the platform removed pod c1-tm-0");
        assertThat(platform.releases()).isEmpty();
    }

    @Test
    void thePodOfARequestFlinkCancelledIsReleasedAndItsLaterChangesIgnored() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        String requestId = onlyRequestId();
        request.cancel(false);
        mainThread.runDue();

        platform.change(serving("c1-tm-0", requestId, "PENDING"), serving("c1-tm-0", requestId, "READY"), terminating("c1-tm-0"));
        mainThread.runDue();

        assertThat(platform.releases()).containsExactly(new Release("c1-tm-0", "request " + requestId + " was cancelled by Flink"));
        assertThat(flink.recoveredReports()).containsExactly(List.of());
        assertThat(flink.terminations()).isEmpty();
    }

    @Test
    void aPodThatServesARequestCancelledWhileItsChangeWaitedForTheMainThreadIsReleasedNotLost() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        String requestId = onlyRequestId();

        platform.change(serving("c1-tm-0", requestId, "READY"));
        request.cancel(false);
        mainThread.runDue();

        assertThat(request).isCancelled();
        assertThat(platform.releases()).containsExactly(new Release("c1-tm-0", "request " + requestId + " was cancelled by Flink"));
        assertThat(flink.recovered()).isEmpty();
    }

    @Test
    void aPodReleasedByFlinkWhileItBecameReadyHasItsLaterChangesIgnored() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        String requestId = onlyRequestId();
        platform.change(serving("c1-tm-0", requestId, "PENDING"));
        mainThread.runDue();

        platform.change(serving("c1-tm-0", requestId, "READY"));
        driver.releaseResource(request.join());
        mainThread.runDue();
        platform.change(terminating("c1-tm-0"));
        mainThread.runDue();

        assertThat(platform.releases()).containsExactly(new Release("c1-tm-0", SlipwayResourceManagerDriver.RELEASED_BY_FLINK));
        assertThat(flink.terminations()).as("Flink released it; it hears of no termination").isEmpty();
        assertThat(flink.recovered()).isEmpty();
    }

    @Test
    void aBrokenStreamIsFollowedAgainAndTheNewListingReportsOnlyNewPods() throws Exception {
        platform.change(warm("c1-tm-0"));
        SlipwayResourceManagerDriver driver = start(platform, flink);
        mainThread.advance(SlipwayResourceManagerDriver.WARM_HAND_OUT_WINDOW);
        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        String requestId = onlyRequestId();

        platform.breakStream(new IOException("connection reset"));
        mainThread.runDue();
        // Changes while nobody follows: only the listing after the reconnection shows them.
        platform.change(warm("c1-tm-1"), serving("c1-tm-2", requestId, "CREATED"));
        assertThat(platform.follows()).isEqualTo(1);
        mainThread.advance(SlipwayResourceManagerDriver.FIRST_BACKOFF);

        assertThat(platform.follows()).isEqualTo(2);
        assertThat(flink.recoveredReports()).containsExactly(List.of("c1-tm-0"), List.of("c1-tm-1"));
        assertThat(request).isCompletedWithValue(new SlipwayWorker("c1-tm-2"));
    }

    @Test
    void aStreamThatKeepsBreakingIsFollowedAgainAfterADoublingWaitAndOneThatEndsAfterTheFirst() throws Exception {
        start(platform, flink);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            platform.breakStream(new IOException("connection reset"));
            mainThread.runDue();
            waits.add(mainThread.nextDelay());
            mainThread.advance(mainThread.nextDelay());
        }
        platform.endStream();
        mainThread.runDue();
        waits.add(mainThread.nextDelay());

        assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), MAX_BACKOFF,
                Duration.ofMillis(200));
        assertThat(platform.follows()).isEqualTo(5);
    }

    @Test
    void aRefusalFailsTheRequestAtOnce() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        PlatformException refused = new PlatformException("the platform answered 403: not this cluster's token", false);
        platform.failNextRequests(refused);

        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        mainThread.runDue();

        assertThat(request).isCompletedExceptionally();
        assertThat(request.handle((worker, failure) -> failure).join()).isSameAs(refused);
        assertThat(platform.requests()).hasSize(1);
        assertThat(mainThread.scheduledDelays()).isEmpty();
    }

    @Test
    void callsThatDoNotReachThePlatformAreRetriedWithABackOffCappedAtTheConfiguredMaximum() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        platform.failNextRequests(new PlatformException("the platform answered 503", true),
                new CompletionException(new ConnectException("Connection refused")), new PlatformException("the platform answered 500", true),
                new PlatformException("the platform answered 429", true), new ConnectException("Connection refused"),
                new PlatformException("the platform answered 502", true));

        CompletableFuture<SlipwayWorker> request = driver.requestResource(TWO_CORES_1728_MB);
        for (int attempt = 1; attempt <= 6; attempt++) {
            assertThat(platform.requests()).hasSize(attempt);
            mainThread.advance(mainThread.nextDelay());
        }

        assertThat(mainThread.scheduledDelays()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                MAX_BACKOFF, MAX_BACKOFF, MAX_BACKOFF);
        assertThat(platform.requests()).hasSize(7).extracting(ResourceRequest::requestId).containsOnly(onlyRequestId());
        assertThat(request).as("accepted; waiting for its pod").isNotDone();
    }

    @Test
    void aPlatformThatAsksForMoreTimeWithRetryAfterIsLeftAloneThatLong() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        platform.failNextRequests(new PlatformException("the platform answered 503: overloaded", true, Duration.ofSeconds(3)),
                new PlatformException("the platform answered 503", true, Duration.ofMillis(100)));

        driver.requestResource(TWO_CORES_1728_MB);
        mainThread.advance(mainThread.nextDelay());
        mainThread.advance(mainThread.nextDelay());

        assertThat(mainThread.scheduledDelays()).as("Retry-After when longer than the back-off's step, the step otherwise")
                .containsExactly(Duration.ofSeconds(3), Duration.ofMillis(400));
        assertThat(platform.requests()).hasSize(3);
    }

    @Test
    void releasesAreRetriedUntilTheyReachThePlatformButNotOnceTheDriverStopped() throws Exception {
        SlipwayResourceManagerDriver driver = start(platform, flink);
        platform.failNextReleases(new ConnectException("Connection refused"), new ConnectException("Connection refused"));

        driver.releaseResource(new SlipwayWorker("c1-tm-0"));
        mainThread.advance(SlipwayResourceManagerDriver.FIRST_BACKOFF);
        assertThat(platform.releases()).hasSize(2);
        driver.terminate();
        mainThread.advance(MAX_BACKOFF);

        assertThat(platform.releases()).hasSize(2);
        assertThat(platform.closed()).isTrue();
    }

    @Test
    void aNewJobManagerRecoversThePodsOfTheOldOneAndNeverCompletesItsRequestsWithThem() throws Exception {
        SlipwayResourceManagerDriver old = start(platform, flink);
        mainThread.advance(SlipwayResourceManagerDriver.WARM_HAND_OUT_WINDOW);
        CompletableFuture<SlipwayWorker> served = old.requestResource(TWO_CORES_1728_MB);
        old.requestResource(TWO_CORES_1728_MB);
        String oldServed = platform.requests().get(0).requestId();
        String oldPending = platform.requests().get(1).requestId();
        platform.change(serving("c1-tm-0", oldServed, "READY"), warm("c1-tm-1"));
        mainThread.runDue();
        assertThat(served).isCompletedWithValue(new SlipwayWorker("c1-tm-0"));
        old.terminate();
        platform.endStream();
        mainThread.advance(MAX_BACKOFF);
        assertThat(platform.follows()).as("a stopped driver follows no more").isEqualTo(1);

        TestingSchedulerApi newClient = platform.sameClusterFromANewJobManager();
        TestingResourceEventHandler newFlink = new TestingResourceEventHandler();
        SlipwayResourceManagerDriver replacement = start(newClient, newFlink);
        mainThread.advance(SlipwayResourceManagerDriver.WARM_HAND_OUT_WINDOW);
        CompletableFuture<SlipwayWorker> request = replacement.requestResource(TWO_CORES_1728_MB);
        // The old JobManager's open request is served after all: the new one did not ask for that pod.
        newClient.change(serving("c1-tm-2", oldPending, "PENDING"));
        mainThread.runDue();

        assertThat(newFlink.recoveredReports()).containsExactly(List.of("c1-tm-0", "c1-tm-1"), List.of("c1-tm-2"));
        String newRequest = newClient.requests().get(0).requestId();
        assertThat(attemptOf(newRequest)).isNotEqualTo(attemptOf(oldServed)).isNotEqualTo(attemptOf(oldPending));
        assertThat(newRequest).endsWith("-0");
        assertThat(request).isNotDone();
    }

    private SlipwayResourceManagerDriver start(TestingSchedulerApi api, TestingResourceEventHandler handler) throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(SlipwayOptions.RETRY_MAX_BACKOFF, MAX_BACKOFF);
        // The waits as steps, exactly; BackoffTest covers their random stretch.
        configuration.set(SlipwayOptions.RETRY_JITTER, 0.0);
        SlipwayResourceManagerDriver driver = new SlipwayResourceManagerDriver(configuration, api, mainThread::nanoTime);
        driver.initialize(handler, mainThread, Runnable::run, Set::of);
        mainThread.runDue();
        return driver;
    }

    private String onlyRequestId() {
        return platform.requests().stream().map(ResourceRequest::requestId).distinct().reduce((one, other) -> {
            throw new AssertionError("more than one request id: " + one + ", " + other);
        }).orElseThrow(() -> new AssertionError("no request was sent"));
    }

    private static String attemptOf(String requestId) {
        return requestId.substring(0, requestId.lastIndexOf('-'));
    }

    private static PlatformPod warm(String name) {
        return new PlatformPod(name, "TASK_MANAGER", null, "READY");
    }

    private static PlatformPod serving(String name, String requestId, String status) {
        return new PlatformPod(name, "TASK_MANAGER", requestId, status);
    }

    /** As the platform streams it: deleting a pod forgets the request it served. */
    private static PlatformPod terminating(String name) {
        return new PlatformPod(name, "TASK_MANAGER", null, "TERMINATING");
    }
}
