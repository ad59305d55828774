package dev.slipway.flink.examples;

import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Reports, from its running task, the version of the Kafka client library its class loader gives it, as accumulator
 * {@code kafka-clients}: the library reads its version from a resource of its own jar, so two jobs that bring two versions
 * of it tell them apart even in one TaskManager. Compiled against the connector's kafka-clients; at run time the library
 * is the job's dependency.
 */
public final class KafkaClientsVersion {

    public static final String ACCUMULATOR = "kafka-clients";

    private KafkaClientsVersion() {
    }

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(1).map(new Reporting()).name("report kafka-clients version").sinkTo(new DiscardingSink<>());
        env.execute("kafka-clients-version");
    }

    static final class Reporting extends RichMapFunction<Integer, Integer> {

        private final ListAccumulator<String> versions = new ListAccumulator<>();

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator(ACCUMULATOR, versions);
        }

        @Override
        public Integer map(Integer value) {
            versions.add(AppInfoParser.getVersion());
            return value;
        }
    }
}
