package dev.slipway.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** {@code @ExtendWith(EmbeddedPostgresExtension.class)}: the shared database of this test run as a {@link DatabaseEndpoint}. */
public final class EmbeddedPostgresExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == DatabaseEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return SharedInfrastructure.database();
    }
}
