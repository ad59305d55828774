package dev.slipway.scheduler.loop;

import java.time.Instant;
import java.util.Set;

/** What the rest of the scheduler reads of its write path, whichever consumer drives it. */
public interface DeciderLoop {

    boolean running();

    /** Clusters this instance decides for now (those with a spec, not deleted). */
    Set<String> ownedClusters();

    /** Owned clusters with a timeout or back-off due at {@code now}: the only ones a tick can change. */
    Set<String> clustersDueAt(Instant now);

    long decisionsPublished();

    long deadLettered();
}
