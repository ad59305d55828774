package dev.slipway.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.Map;

/**
 * Quarkus test resource: points the app at the shared broker and fills {@link InjectKafkaCompanion}
 * fields. The broker is shared by the whole test run; only the companion is per resource.
 */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private KafkaCompanion companion;

    @Override
    public Map<String, String> start() {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        companion = new KafkaCompanion(bootstrap);
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(companion,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        if (companion != null) {
            companion.close();
        }
    }
}
