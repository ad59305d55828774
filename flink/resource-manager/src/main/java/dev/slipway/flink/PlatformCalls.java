package dev.slipway.flink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the platform until it answers. A call that does not reach it (no connection, 5xx, 429) is tried again after a
 * back-off (or the platform's {@code Retry-After}, when longer), waiting on the resource manager's main-thread scheduler
 * so Flink is never blocked; a refusal that cannot heal (a non-retryable {@link PlatformException}) fails at once. Once the
 * client is closed (the JobManager stops) nothing more is sent.
 */
final class PlatformCalls {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformCalls.class);

    private final Backoff backoff;
    private final Supplier<ScheduledExecutor> mainThread;
    private final BooleanSupplier closed;

    PlatformCalls(Backoff backoff, Supplier<ScheduledExecutor> mainThread, BooleanSupplier closed) {
        this.backoff = backoff;
        this.mainThread = mainThread;
        this.closed = closed;
    }

    CompletableFuture<Void> untilAnswered(Supplier<CompletableFuture<Void>> call, String what) {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        attempt(call, what, backoff.first(), answered);
        return answered;
    }

    private void attempt(Supplier<CompletableFuture<Void>> call, String what, Duration wait, CompletableFuture<Void> answered) {
        if (closed.getAsBoolean()) {
            answered.completeExceptionally(new PlatformException("the " + what + " was not sent: the driver has stopped", false));
            return;
        }
        call.get().whenComplete((done, failure) -> {
            if (failure == null) {
                answered.complete(null);
                return;
            }
            Throwable cause = cause(failure);
            boolean retryable = !(cause instanceof PlatformException refused) || refused.retryable();
            if (!retryable || closed.getAsBoolean()) {
                LOG.error("The platform refused the {}: {}", what, describe(cause));
                answered.completeExceptionally(cause);
                return;
            }
            Duration delay = backoff.delay(wait, cause);
            LOG.warn("The {} did not reach the platform ({}); retrying in {} ms", what, describe(cause), delay.toMillis());
            mainThread.get().schedule(() -> attempt(call, what, backoff.next(wait), answered), delay.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** What went wrong, for a log line: the message, or the failure's kind when it has none (a timeout, a closed connection). */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** The failure itself, not the wrapper a future's stage or get() put around it. */
    static Throwable cause(Throwable failure) {
        boolean wrapped = failure instanceof CompletionException || failure instanceof ExecutionException;
        return wrapped && failure.getCause() != null ? failure.getCause() : failure;
    }
}
