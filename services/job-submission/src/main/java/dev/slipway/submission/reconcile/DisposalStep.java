package dev.slipway.submission.reconcile;

import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.client.FlinkRestClient.FlinkError;
import java.io.IOException;

/**
 * One step of disposing of a savepoint or a retained checkpoint through a JobManager ({@code POST /savepoint-disposal}, then
 * its outcome): what the step found, for the caller to record. The same rules for every kind of state: the JobManager's own
 * trouble (5xx, an unreadable status) is thrown and tried again; a files-already-gone failure is the outcome wanted.
 */
record DisposalStep(Kind kind, String trigger, String failure) {

    enum Kind {
        /** Flink was asked; {@code trigger} is its trigger id. */
        TRIGGERED,
        /** Asked before, not done yet. */
        PENDING,
        /** The JobManager does not know the trigger (replaced, or the answer expired): ask again. */
        FORGOTTEN,
        /** Disposed of (or found gone already, as a disposal repeated after a crash does). */
        DISPOSED,
        /** Flink refused or failed: the state stays where it is; {@code failure} says why. */
        REFUSED
    }

    /** The next step for {@code path}, whose disposal was triggered as {@code trigger} (null: not yet). */
    static DisposalStep next(FlinkRestClient flink, String url, String path, String trigger) throws IOException {
        if (trigger == null) {
            try {
                return new DisposalStep(Kind.TRIGGERED, flink.disposeSavepoint(url, path), null);
            } catch (FlinkError refused) {
                if (refused.status() >= 500) {
                    throw refused;
                }
                return new DisposalStep(Kind.REFUSED, null, refused.getMessage());
            }
        }
        FlinkRestClient.DisposalStatus status;
        try {
            status = flink.disposalStatus(url, trigger);
        } catch (FlinkError unknown) {
            if (unknown.status() != 404) {
                throw unknown;
            }
            return new DisposalStep(Kind.FORGOTTEN, null, null);
        }
        if (!status.completed()) {
            return new DisposalStep(Kind.PENDING, trigger, null);
        }
        if (status.failure() != null && !status.failure().contains("FileNotFoundException")) {
            return new DisposalStep(Kind.REFUSED, null, status.failure());
        }
        return new DisposalStep(Kind.DISPOSED, null, null);
    }
}
