package dev.slipway.flink.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A stateful job whose output shows what its state went through: events {@code 0, 1, 2, ...} at a steady rate, keyed by
 * {@code event % keys}, each key's running count in keyed state, and every {@code key,count} appended to a file under
 * {@code --out} (one file per writer). Restored from a checkpoint, the counts of each key go on from the checkpoint's (the
 * events after it are counted again: at least once); started from nothing, each key counts from 1 again; a lost checkpoint
 * leaves a gap. Arguments: {@code --out DIR --rate 100 --keys 8 --checkpoint-ms 500}.
 */
public final class KeyedCounts {

    private KeyedCounts() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments params = JobArguments.parse(args);
        String out = params.getString("out", null);
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required: where the counts are written");
        }
        double rate = params.getDouble("rate", 100);
        long keys = params.getLong("keys", 8);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(params.getLong("checkpoint-ms", 500));
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(rate), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events")
                .keyBy(event -> event % keys)
                .process(new CountPerKey(out))
                .name("count-per-key")
                .sinkTo(new DiscardingSink<>());
        env.execute("keyed-counts");
    }

    /** Counts each key's events in keyed state and writes every new count. */
    static final class CountPerKey extends KeyedProcessFunction<Long, Long, String> {

        private final String out;
        private transient ValueState<Long> count;
        private transient BufferedWriter writer;

        CountPerKey(String out) {
            this.out = out;
        }

        @Override
        public void processElement(Long event, Context context, Collector<String> collector) throws IOException {
            if (count == null) {
                count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            }
            long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            String line = context.getCurrentKey() + "," + next;
            writer().write(line);
            writer().newLine();
            writer().flush();
            collector.collect(line);
        }

        private BufferedWriter writer() throws IOException {
            if (writer == null) {
                Path directory = Files.createDirectories(Path.of(out));
                // A file of its own per writer: an attempt that starts while the previous one winds down never interleaves.
                writer = Files.newBufferedWriter(directory.resolve("counts-" + UUID.randomUUID() + ".txt"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            return writer;
        }

        @Override
        public void close() throws Exception {
            if (writer != null) {
                writer.close();
            }
            super.close();
        }
    }
}
