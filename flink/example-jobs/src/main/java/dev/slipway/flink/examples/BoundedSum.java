package dev.slipway.flink.examples;

import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A bounded job that sums 1..n across its parallel tasks. The sum and count come back as job
 * accumulators (REST {@code /jobs/{id}/accumulators}), so a test can check the job's real output.
 * Arguments: {@code --n 1000000}.
 */
public final class BoundedSum {

    public static final String SUM = "sum";
    public static final String COUNT = "count";

    private BoundedSum() {
    }

    public static void main(String[] args) throws Exception {
        long n = JobArguments.parse(args).getLong("n", 1_000_000L);
        // Nothing of this job waits for a commit: its tasks end when their input does, not at the next checkpoint (up to the
        // cluster's interval later) as tasks with a transactional sink must.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(Map.of("execution.checkpointing.checkpoints-after-tasks-finish", "false")));
        env.fromSequence(1, n).map(new Summing()).name("sum").sinkTo(new DiscardingSink<>());
        env.execute("bounded-sum-" + n);
    }

    static final class Summing extends RichMapFunction<Long, Long> {

        private final LongCounter sum = new LongCounter();
        private final LongCounter count = new LongCounter();

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator(SUM, sum);
            getRuntimeContext().addAccumulator(COUNT, count);
        }

        @Override
        public Long map(Long value) {
            sum.add(value);
            count.add(1);
            return value;
        }
    }
}
