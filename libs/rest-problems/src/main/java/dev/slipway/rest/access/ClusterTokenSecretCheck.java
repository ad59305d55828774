package dev.slipway.rest.access;

import dev.slipway.contracts.auth.ClusterTokens;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;

/**
 * Stops a service at start when its cluster token secret ({@code slipway.<service>.cluster-token-secret}, from
 * {@code SLIPWAY_CLUSTER_TOKEN_SECRET}) is one anybody knows: the example's placeholder, or the development value outside
 * dev and test mode unless {@code slipway.allow-development-secret} says this is a development machine. Every service
 * that signs or checks cluster tokens carries this library, so one check serves them all.
 */
@ApplicationScoped
@Startup(Interceptor.Priority.PLATFORM_BEFORE) // before anything that connects to Kafka or signs a token
public class ClusterTokenSecretCheck {

    /** {@code SLIPWAY_ALLOW_DEVELOPMENT_SECRET}: set by {@code ./slipway} and compose.yaml, never in deploy/k8s. */
    public static final String ALLOW_DEVELOPMENT_SECRET = "slipway.allow-development-secret";
    private static final String SECRET_KEY_SUFFIX = ".cluster-token-secret";

    public ClusterTokenSecretCheck(Config config) {
        boolean developmentAllowed = LaunchMode.current().isDevOrTest()
                || config.getOptionalValue(ALLOW_DEVELOPMENT_SECRET, Boolean.class).orElse(false);
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith("slipway.") && name.endsWith(SECRET_KEY_SUFFIX))
                .sorted()
                .forEach(name -> {
                    Optional<String> reason = ClusterTokens.unfitForProduction(
                            config.getOptionalValue(name, String.class).orElse(null), developmentAllowed);
                    if (reason.isPresent()) {
                        throw new IllegalStateException(name + ": " + reason.get());
                    }
                });
    }
}
