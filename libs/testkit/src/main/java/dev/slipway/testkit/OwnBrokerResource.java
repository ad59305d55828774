package dev.slipway.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A broker of the test class's own, which the test may stop and start again on the same ports (the shared one serves every
 * other class). Use it with {@code restrictToAnnotatedClass = true}; its {@code initArgs} are more configuration of the
 * application under test (a timeout the outage is to reach, say).
 */
public final class OwnBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;
    private final Map<String, String> settings = new HashMap<>();

    public static EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        settings.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.onRandomPorts().start();
        Map<String, String> configuration = new HashMap<>(settings);
        configuration.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return configuration;
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
