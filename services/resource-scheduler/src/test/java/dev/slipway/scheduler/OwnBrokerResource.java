package dev.slipway.scheduler;

import dev.slipway.testkit.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A broker of the test class's own, which the test may stop and start again (the shared one serves every other class). */
public final class OwnBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    static EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.onRandomPorts().start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                // Shorter than the producer's own delivery timeout (10 s), so the test sees this deadline answer.
                "slipway.scheduler.acknowledgement-timeout", "2s");
    }

    /** After the shared resources, whose settings these replace for this class. */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
