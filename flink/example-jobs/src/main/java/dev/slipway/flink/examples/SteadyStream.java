package dev.slipway.flink.examples;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * An unbounded, checkpointed job: generated events at a steady rate, keyed and summed. It keeps its
 * TaskManagers busy until cancelled and recovers from its last checkpoint when one dies.
 * Arguments: {@code --rate 200 --keys 16}.
 */
public final class SteadyStream {

    private SteadyStream() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments params = JobArguments.parse(args);
        double rate = params.getDouble("rate", 200);
        long keys = params.getLong("keys", 16);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(params.getLong("checkpoint-ms", 1000));
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(rate), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "generated")
                .keyBy(value -> value % keys)
                .reduce(Long::sum)
                .name("sum-per-key")
                .sinkTo(new DiscardingSink<>());
        env.execute("steady-stream");
    }
}
