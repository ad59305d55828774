package dev.slipway.logagent;

import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.config.AgentConfig;
import dev.slipway.logagent.ship.LogShipper;
import dev.slipway.logagent.tail.FileTailer;
import dev.slipway.logagent.tail.LogDirectoryTail;
import dev.slipway.logagent.tail.OffsetStore;
import dev.slipway.logagent.tail.Shipment;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node log agent's loop, on one thread: list the pod directories every poll interval, read a
 * batch of records, ship it and wait for the acknowledgement (retrying the same batch with back-off
 * for as long as it takes; nothing more is read meanwhile), then write the new positions to the
 * state file. A record's id comes from its file and offset, so a batch shipped again after a crash
 * between acknowledgement and state write carries the same ids.
 */
public final class LogAgent implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogAgent.class);

    private final AgentConfig config;
    private final LogShipper shipper;
    private final Clock clock;
    private final Object wakeUp = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    private final AtomicLong shippedRecords = new AtomicLong();
    private final AtomicLong shippedBatches = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile boolean backingOff;
    private volatile String lastFailure;

    public LogAgent(AgentConfig config, LogShipper shipper, Clock clock) {
        this.config = config;
        this.shipper = shipper;
        this.clock = clock;
    }

    @Override
    public void run() {
        FileTailer.Settings settings = new FileTailer.Settings(config.logRoot(), config.timeZone(),
                config.maxRecordBytes(), config.flushIdle().toMillis());
        try (LogDirectoryTail tail = new LogDirectoryTail(settings, new OffsetStore(config.stateFile()))) {
            long nextDiscovery = 0;
            while (running) {
                long now = clock.millis();
                if (now >= nextDiscovery) {
                    tail.discover(now);
                    nextDiscovery = now + config.pollInterval().toMillis();
                }
                List<Shipment> batch = new ArrayList<>();
                tail.read(batch, config.batchSize(), clock.millis());
                if (!batch.isEmpty() && batch.size() < config.batchSize() && !config.batchLinger().isZero()) {
                    pause(config.batchLinger().toMillis());
                    tail.read(batch, config.batchSize(), clock.millis());
                }
                if (batch.isEmpty()) {
                    tail.pruneFinished();
                    pause(Math.max(1, Math.min(config.pollInterval().toMillis(), nextDiscovery - clock.millis())));
                    continue;
                }
                if (!ship(batch)) {
                    break; // stopping: the batch was not acknowledged, so its positions stay where they were
                }
                tail.acknowledged(batch);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("The log agent stops: {}", e.toString(), e);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            shipper.close();
            stopped.countDown();
        }
    }

    /** Ships the batch, retrying with back-off until Kafka acknowledges it; false if stopped first. */
    private boolean ship(List<Shipment> batch) {
        List<LogRecord> records = batch.stream().map(Shipment::record).toList();
        long backoff = config.retryInitialBackoff().toMillis();
        while (running) {
            try {
                shipper.ship(records);
                if (backingOff) {
                    LOG.info("Kafka acknowledged again after {} failed attempts; reading resumes", failedAttempts.get());
                    backingOff = false;
                }
                shippedRecords.addAndGet(records.size());
                shippedBatches.incrementAndGet();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                failedAttempts.incrementAndGet();
                lastFailure = e.toString();
                if (!backingOff) {
                    LOG.warn("Shipping {} log records failed ({}); reading pauses, retrying with back-off", records.size(), e.toString());
                }
                backingOff = true;
                pause(backoff);
                backoff = Math.min(Math.max(1, backoff * 2), Math.max(1, config.retryMaxBackoff().toMillis()));
            }
        }
        return false;
    }

    private void pause(long millis) {
        synchronized (wakeUp) {
            if (running && millis > 0) {
                try {
                    wakeUp.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** Asks the loop to stop and waits up to {@code timeoutMillis} for it (an attempt in flight finishes first). */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop(config.sendTimeout().toMillis() + 10_000);
    }

    public long shippedRecords() {
        return shippedRecords.get();
    }

    public long shippedBatches() {
        return shippedBatches.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** True while a batch waits for Kafka (and nothing is read). */
    public boolean backingOff() {
        return backingOff;
    }

    public String lastFailure() {
        return lastFailure;
    }
}
