package dev.slipway.logagent.ship;

import dev.slipway.contracts.telemetry.LogRecord;
import java.util.List;

/** Where batches of log records go (Kafka in production; a recording double in tests). */
public interface LogShipper extends AutoCloseable {

    /** Returns once every record is acknowledged; throws if any is not (the whole batch is then sent again). */
    void ship(List<LogRecord> records) throws Exception;

    @Override
    void close();
}
