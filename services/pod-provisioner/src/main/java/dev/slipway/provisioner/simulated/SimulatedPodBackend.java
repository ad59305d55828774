package dev.slipway.provisioner.simulated;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.provisioning.PodBackend;
import dev.slipway.provisioning.PodFactSink;
import dev.slipway.provisioning.PodFacts;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jboss.logging.Logger;

/**
 * Pods that go through the states and facts of real ones and cost no process, as kwok does for Kubernetes: a test and
 * capacity-planning tool, so that thousands of clusters and tens of thousands of TaskManagers run through the scheduler and
 * the provisioner on one machine. Never a way to run Flink: no process starts, and the addresses lead nowhere.
 *
 * <p>{@link #provision} places the pod on a simulated node ({@link SimulatedNodes}; {@code Unschedulable} when every node is
 * full), draws its whole life ({@link PodLives}), writes it down ({@link SimulatedPodStore}) and reports {@code PodCreated};
 * the timer then reports {@code PodReady} (or the failure) when its time comes. {@link #delete} reports {@code PodDeleted}
 * after the termination delay and leaves a tombstone, so a redelivered decision does not bring the pod back.
 *
 * <p>Pods outlive the provisioner, as Kubernetes pods do: {@link #close} only stops the timer, and a backend started on
 * the same root (after a restart, or another instance taking partitions over) reports every pod it finds, then carries on
 * with what each still has to go through. Instances that share the root see each other's deletions (a transition reads
 * the pod's file before it is reported); each keeps its own count of the nodes' free slots.
 *
 * <p>One lock guards everything: decisions come from one thread, transitions from the timer's.
 */
public final class SimulatedPodBackend implements PodBackend {

    private static final Logger LOG = Logger.getLogger(SimulatedPodBackend.class);
    private static final int NOTHING_REPORTED = -1;

    private final SimulationSettings settings;
    private final Clock clock;
    private final SimulationTimer timer;
    private final SimulatedPodStore store;
    private final SimulatedNodes nodes;
    private final PodLives lives;
    /** The pods this instance watches, by {@code cluster/pod}: from creation (or discovery) until gone. */
    private final Map<String, Tracked> pods = new HashMap<>();
    private PodFactSink sink;
    private boolean closed;

    /**
     * A watched pod, the last step reported of it (a {@link SimulatedPod.Kind} ordinal) and whether it counts on its node.
     */
    private record Tracked(SimulatedPod pod, int reported, boolean seated) {
    }

    public SimulatedPodBackend(SimulationSettings settings, Clock clock, SimulationTimer timer) {
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
        this.store = new SimulatedPodStore(settings.root());
        this.nodes = new SimulatedNodes(settings.nodes(), settings.podsPerNode());
        this.lives = new PodLives(settings, new SplittableRandom(settings.seed()));
    }

    /** Reports every pod found under the root as it is now (what it went through meanwhile included), then goes on. */
    @Override
    public synchronized void start(PodFactSink factSink) {
        if (sink != null) {
            throw new IllegalStateException("started already");
        }
        sink = factSink;
        Instant now = clock.instant();
        List<SimulatedPod> found = store.live();
        // Every pod found takes its slot before any is advanced: placing must see the whole fleet.
        found.forEach(pod -> watch(pod, now));
        found.forEach(pod -> advance(pod.key()));
        LOG.infof("Simulated pods (no processes): %d found under %s, %d nodes of %d pods each", found.size(), settings.root(),
                nodes.size(), settings.podsPerNode());
    }

    @Override
    public synchronized void provision(ProvisionPod decision) {
        requireStarted();
        String key = SimulatedPod.key(decision.clusterId(), decision.podName());
        if (pods.containsKey(key)) {
            return;
        }
        Instant now = clock.instant();
        if (!validNames(decision.clusterId(), decision.podName())) {
            // As the API server refuses an invalid name (422): the name would not be a safe file name here either.
            report(PodFacts.failed(decision.clusterId(), decision.podName(), "Invalid", null,
                    "simulated: a pod name is a DNS subdomain and a cluster id a DNS label", now));
            return;
        }
        Optional<SimulatedPod> existing = store.read(decision.clusterId(), decision.podName());
        if (existing.isPresent()) {
            if (existing.get().deleted()) {
                LOG.debugf("Not recreating %s: it was deleted already (a redelivered decision)", key);
            } else {
                // Made by another instance sharing the root, before this one took the cluster over: left as it is, watched.
                watch(existing.get(), now);
                advance(key);
            }
            return;
        }
        Optional<SimulatedNodes.Seat> seat = nodes.place(decision.clusterId(), decision.role(), decision.placement());
        if (seat.isEmpty()) {
            report(PodFacts.failed(decision.clusterId(), decision.podName(), "Unschedulable", null,
                    "simulated: 0/" + nodes.size() + " nodes are available: " + nodes.size() + " Too many pods (at most "
                            + settings.podsPerNode() + " per node)", now));
            return;
        }
        PodLives.Life life = lives.draw(now);
        SimulatedPod pod = new SimulatedPod(decision.clusterId(), decision.podName(), decision.role(), decision.requestId(),
                seat.get().node(), seat.get().slot(), now, life.readyAt(), life.failure(), null, false);
        try {
            store.write(pod);
        } catch (RuntimeException e) {
            nodes.release(pod);
            throw e; // the simulator's own disk, not the pod, failed: the applier tries the decision again
        }
        pods.put(key, new Tracked(pod, NOTHING_REPORTED, true));
        advance(key);
    }

    @Override
    public synchronized void delete(DeletePod decision) {
        requireStarted();
        String key = SimulatedPod.key(decision.clusterId(), decision.podName());
        Instant now = clock.instant();
        Tracked tracked = pods.get(key);
        if (tracked == null) {
            Optional<SimulatedPod> onDisk = validNames(decision.clusterId(), decision.podName())
                    ? store.read(decision.clusterId(), decision.podName()) : Optional.empty();
            if (onDisk.isEmpty() || onDisk.get().deleted()) {
                // Gone already (never created, unschedulable, deleted before): saying so lets the scheduler forget it.
                report(PodFacts.deleted(decision.clusterId(), decision.podName(), now));
                return;
            }
            tracked = watch(onDisk.get(), now); // another instance's: this one deletes it now
        }
        // A pod being deleted already (a redelivered decision) keeps its end; advancing it then reports nothing new.
        if (tracked.pod().deletion() == null) {
            SimulatedPod deleting = tracked.pod().deleting(now, now.plus(settings.terminationDelay()));
            store.write(deleting);
            pods.put(key, new Tracked(deleting, tracked.reported(), tracked.seated()));
        }
        advance(key);
    }

    /** Stops the timer; the pods stay, with their future on disk, for the next backend started on the root. */
    @Override
    public synchronized void close() {
        closed = true;
        timer.close();
    }

    /** Pods this instance watches now, deleted ones left out, by {@code cluster/pod}. */
    public synchronized List<String> watchedPods() {
        return pods.keySet().stream().sorted().toList();
    }

    /** Pods on a simulated node now, as this instance counts them. */
    public synchronized int load(String node) {
        return nodes.load(node);
    }

    private Tracked watch(SimulatedPod pod, Instant now) {
        Tracked tracked = new Tracked(pod, NOTHING_REPORTED, pod.holdsSlotAt(now) && nodes.occupy(pod));
        pods.put(pod.key(), tracked);
        return tracked;
    }

    /** A transition's time came. */
    private synchronized void fire(String key) {
        Tracked tracked = pods.get(key);
        if (closed || tracked == null) {
            return;
        }
        // Another instance sharing the root may have deleted the pod since: its file says what is true.
        Optional<SimulatedPod> onDisk = store.read(tracked.pod().clusterId(), tracked.pod().podName());
        if (onDisk.isEmpty() || onDisk.get().deleted()) {
            forget(key, tracked);
            return;
        }
        if (!onDisk.get().equals(tracked.pod())) {
            pods.put(key, new Tracked(onDisk.get(), tracked.reported(), tracked.seated()));
        }
        advance(key);
    }

    /**
     * Reports the pod's steps that are due and not reported yet, then waits for its next one. Idempotent: an extra
     * wake-up (left from before a deletion moved the pod's end) reports nothing.
     */
    private void advance(String key) {
        Tracked tracked = pods.get(key);
        SimulatedPod pod = tracked.pod();
        Instant now = clock.instant();
        int reported = tracked.reported();
        boolean seated = tracked.seated();
        for (SimulatedPod.Step step : pod.steps()) {
            if (step.kind().ordinal() <= reported) {
                continue;
            }
            if (step.at().isAfter(now)) {
                pods.put(key, new Tracked(pod, reported, seated));
                timer.at(step.at(), () -> fire(key));
                return;
            }
            report(pod.fact(step));
            reported = step.kind().ordinal();
            if (seated && step.kind() != SimulatedPod.Kind.READY && step.kind() != SimulatedPod.Kind.CREATED) {
                nodes.release(pod);
                seated = false;
            }
        }
        if (reported == SimulatedPod.Kind.DELETED.ordinal()) {
            pods.remove(key);
            tombstone(pod);
        } else {
            pods.put(key, new Tracked(pod, reported, seated));
        }
    }

    /** After {@code PodDeleted} was reported: a crash before this reports it again at the next start, with the same id. */
    private void tombstone(SimulatedPod pod) {
        try {
            store.write(pod.tombstone());
        } catch (RuntimeException e) {
            LOG.warnf("Could not mark %s deleted (the next start reports its deletion again): %s", pod.key(), e.getMessage());
        }
    }

    private void forget(String key, Tracked tracked) {
        if (tracked.seated()) {
            nodes.release(tracked.pod());
        }
        pods.remove(key);
    }

    private void requireStarted() {
        if (sink == null) {
            throw new IllegalStateException("start(sink) first: facts of this decision would have nowhere to go");
        }
    }

    private static boolean validNames(String clusterId, String podName) {
        return ClusterIdGrammar.valid(clusterId) && SimulatedPodStore.validPodName(podName);
    }

    private void report(PodFact fact) {
        try {
            sink.report(fact);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not report %s of %s", fact.getClass().getSimpleName(), fact.podName());
        }
    }
}
