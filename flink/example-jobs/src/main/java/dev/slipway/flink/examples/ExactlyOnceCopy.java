package dev.slipway.flink.examples;

import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads one Kafka topic and writes every record, marked, to another with exactly-once delivery: the sink writes in Kafka
 * transactions that commit with Flink's checkpoints, so a {@code read_committed} consumer of the output sees each input
 * record once, across failures and restores. Built against Flink's Kafka connector without bundling it: the job names it
 * as its dependencies ({@code org.apache.flink:flink-connector-kafka} and {@code org.apache.kafka:kafka-clients}).
 * Arguments: {@code --bootstrap HOST:PORT --input TOPIC --output TOPIC --checkpoint-ms 1000}.
 */
public final class ExactlyOnceCopy {

    private ExactlyOnceCopy() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments params = JobArguments.parse(args);
        String bootstrap = required(params, "bootstrap");
        String input = required(params, "input");
        String output = required(params, "output");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(params.getLong("checkpoint-ms", 1000));

        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(input)
                .setGroupId("exactly-once-copy-" + input)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();
        Properties producer = new Properties();
        // Below the broker's transaction.max.timeout.ms (15 min by default); long enough to outlast a restart.
        producer.setProperty("transaction.timeout.ms", "120000");
        KafkaSink<String> sink = KafkaSink.<String>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("exactly-once-copy-" + output)
                .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                        .setTopic(output)
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "input")
                .map(record -> record + ":copied").name("mark")
                .sinkTo(sink).name("output");
        env.execute("exactly-once-copy");
    }

    private static String required(JobArguments params, String name) {
        String value = params.getString(name, null);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
