package dev.slipway.flink.examples;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A job whose author forgot a dependency: it needs PostgreSQL's JDBC driver, which no Flink distribution ships and its jar
 * does not carry, so it fails in its main method with {@code NoClassDefFoundError} (Flink's REST API then answers only
 * "Internal server error."). What the platform says about such a failure is what the tests check.
 */
public final class MissingDriver {

    private MissingDriver() {
    }

    public static void main(String[] args) throws Exception {
        String driver = org.postgresql.Driver.class.getName();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, 10).map(value -> driver + value).sinkTo(new DiscardingSink<>());
        env.execute("missing-driver");
    }
}
