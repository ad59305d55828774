package dev.slipway.submission.service;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Waits, on a worker thread, for a reactive database call run on a Vert.x context (Hibernate Reactive's sessions need one).
 * {@link VertxContextSupport#subscribeAndAwait} declares {@code Throwable}; here a failure is thrown as it is when unchecked
 * and wrapped otherwise, so callers declare nothing and never catch {@code Error}s by accident.
 */
public final class OnVertxContext {

    private OnVertxContext() {
    }

    public static <T> T await(Supplier<Uni<T>> uni) {
        try {
            return VertxContextSupport.subscribeAndAwait(uni);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable checked) {
            throw new IllegalStateException(checked.toString(), checked);
        }
    }
}
