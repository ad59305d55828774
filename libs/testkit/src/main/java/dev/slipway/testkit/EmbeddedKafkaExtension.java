package dev.slipway.testkit;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(EmbeddedKafkaExtension.class)}: the shared broker of this test run, injected as a
 * {@link KafkaEndpoint} or a {@link KafkaCompanion} parameter. The broker outlives the class; a
 * companion is closed after the class.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaEndpoint.class || type == KafkaCompanion.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        KafkaEndpoint endpoint = SharedInfrastructure.kafka();
        if (parameter.getParameter().getType() == KafkaEndpoint.class) {
            return endpoint;
        }
        return classStore(extension).getOrComputeIfAbsent(KafkaCompanion.class,
                key -> new KafkaCompanion(endpoint.bootstrapServers()), KafkaCompanion.class);
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        KafkaCompanion companion = classStore(extension).remove(KafkaCompanion.class, KafkaCompanion.class);
        if (companion != null) {
            companion.close();
        }
    }

    private static ExtensionContext.Store classStore(ExtensionContext extension) {
        ExtensionContext classContext = extension.getTestClass().isPresent() && extension.getTestMethod().isPresent()
                ? extension.getParent().orElse(extension)
                : extension;
        return classContext.getStore(NAMESPACE);
    }
}
