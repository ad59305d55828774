package dev.slipway.flink.examples;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A CEP job: login events of {@code --users} users (event {@code i} is user {@code i % users}'s, and every third login of a
 * user succeeds, the others fail), and the pattern "a failed login directly followed by another" per user. The matches are
 * counted in the accumulator {@code alerts}: for {@code --n} events, {@code users x ceil((n / users - 1) / 3)} when n is
 * a multiple of users. Arguments: {@code --n 1200 --users 4}.
 */
public final class RepeatedFailures {

    public static final String ALERTS = "alerts";

    private RepeatedFailures() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments params = JobArguments.parse(args);
        long n = params.getLong("n", 1200);
        long users = params.getLong("users", 4);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // "user,ok" or "user,fail": the k-th login of a user fails unless k % 3 == 2.
        DataGeneratorSource<String> logins = new DataGeneratorSource<>(
                index -> (index % users) + "," + ((index / users) % 3 == 2 ? "ok" : "fail"), n,
                RateLimiterStrategy.perSecond(2000), Types.STRING);
        Pattern<String, String> twoFailures = Pattern.<String>begin("first").where(SimpleCondition.of(RepeatedFailures::failed))
                .next("second").where(SimpleCondition.of(RepeatedFailures::failed));
        CEP.pattern(env.fromSource(logins, WatermarkStrategy.noWatermarks(), "logins").keyBy(login -> login.split(",")[0]),
                        twoFailures)
                .inProcessingTime()
                .process(new Alerts())
                .name("two-failures")
                .map(new CountAlerts())
                .name("count-alerts")
                .sinkTo(new DiscardingSink<>());
        env.execute("repeated-failures");
    }

    private static boolean failed(String login) {
        return login.endsWith(",fail");
    }

    /** Every match, as the user of its first failed login. */
    static final class Alerts extends PatternProcessFunction<String, String> {

        @Override
        public void processMatch(Map<String, List<String>> match, Context context, Collector<String> out) {
            out.collect(match.get("first").get(0));
        }
    }

    /** Counts the alerts (a pattern function's context has no accumulators). */
    static final class CountAlerts extends RichMapFunction<String, String> {

        private final LongCounter alerts = new LongCounter();

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator(ALERTS, alerts);
        }

        @Override
        public String map(String alert) {
            alerts.add(1);
            return alert;
        }
    }
}
