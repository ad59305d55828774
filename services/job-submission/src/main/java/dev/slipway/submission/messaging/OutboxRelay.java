package dev.slipway.submission.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox: in one database transaction it takes the relay lock, reads the oldest unsent
 * events, publishes them (waiting for Kafka's acknowledgements) and marks them sent. A crash before the
 * commit leaves them unsent, so they are published again with the same event ids (consumers skip ids
 * they have seen); a crash before the publish loses nothing. One relay runs at a time across instances
 * (a PostgreSQL advisory lock), which keeps each cluster's events in the order they were written.
 *
 * <p>Runs on its own thread with JDBC: it blocks on Kafka's acknowledgements while it holds the lock.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** PostgreSQL advisory lock key of the relay ("slipway outbox"). */
    static final long RELAY_LOCK = 0x5_1177_0b0cL;

    private final DataSource dataSource;
    private final EventSink sink;
    private final SubmissionConfig.Outbox config;
    private final KafkaTracing tracing;
    private final EventCodec codec = new EventCodec();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    public OutboxRelay(DataSource dataSource, EventSink sink, SubmissionConfig config, KafkaTracing tracing) {
        this.tracing = tracing;
        this.dataSource = dataSource;
        this.sink = sink;
        this.config = config.outbox();
    }

    public synchronized void start() {
        if (executor != null || !config.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        long poll = config.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::drain, 0, poll, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** Called after a commit that wrote events: publish now rather than at the next poll. Never blocks. */
    public void wake() {
        ScheduledExecutorService current = executor;
        if (current != null && wakeQueued.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    wakeQueued.set(false);
                    drain();
                });
            } catch (RuntimeException stopped) {
                wakeQueued.set(false);
            }
        }
    }

    private void drain() {
        try {
            int published;
            do {
                published = relayOnce();
            } while (published >= config.batchSize());
        } catch (Exception e) {
            LOG.warnf("outbox relay: events stay unsent until the next attempt: %s", e.toString());
        }
    }

    /** One batch in one transaction; the number of events published (0 when another instance holds the lock). */
    public int relayOnce() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int published = relayBatch(connection);
                connection.commit();
                return published;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private int relayBatch(Connection connection) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet locked = lock.executeQuery()) {
                if (!locked.next() || !locked.getBoolean(1)) {
                    return 0;
                }
            }
        }
        List<Long> ids = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select id, event_id, message_key, payload, traceparent, event_type from outbox"
                        + " where sent_at is null order by id limit ?")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong("id"));
                    records.add(record(rows));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        sink.publish(records);
        try (PreparedStatement sent = connection.prepareStatement("update outbox set sent_at = now() where id = any(?)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            sent.setArray(1, array);
            sent.executeUpdate();
        }
        LOG.debugf("outbox relay published %d events", ids.size());
        return ids.size();
    }

    private ProducerRecord<String, byte[]> record(ResultSet row) throws SQLException {
        byte[] payload = row.getString("payload").getBytes(StandardCharsets.UTF_8);
        String eventType = row.getString("event_type");
        DecodeResult<SlipwayEvent> decoded = codec.decode(payload, eventType);
        if (decoded instanceof DecodeResult.Decoded<SlipwayEvent> event) {
            // The row's traceparent (the REST call's span) is the parent of this hop's PRODUCER span.
            String traceparent = row.getString("traceparent");
            return tracing.traced(EventRecords.toRecord(event.event(), EventSources.JOB_SUBMISSION, traceparent), traceparent);
        }
        // Cannot happen for rows this service wrote; never drop one, never block the others behind it.
        String reason = ((DecodeResult.Rejected<SlipwayEvent>) decoded).reason();
        LOG.errorf("outbox event %s is not readable (%s); sent to %s", row.getString("event_id"), reason, Topics.DEAD_LETTER);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DEAD_LETTER, row.getString("message_key"), payload);
        dead.headers().add(new RecordHeader(CloudEventHeaders.DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8)));
        dead.headers().add(new RecordHeader(CloudEventHeaders.DEAD_LETTER_ORIGIN,
                ("outbox/" + row.getLong("id")).getBytes(StandardCharsets.UTF_8)));
        return dead;
    }

    /** Events not published yet. */
    public long unsent() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from outbox where sent_at is null");
                ResultSet result = count.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Whether an event is still waiting in the outbox. */
    public boolean isUnsent(String eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select 1 from outbox where event_id = ? and sent_at is null")) {
            query.setString(1, eventId);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }
}
