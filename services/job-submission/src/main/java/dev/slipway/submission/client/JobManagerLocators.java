package dev.slipway.submission.client;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;

/** The locator the configuration chooses, and the one HTTP client of the calls to Flink. */
public class JobManagerLocators {

    @Produces
    @Singleton
    HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Produces
    @Singleton
    JobManagerLocator locator(SubmissionConfig config, HttpClient http) {
        SubmissionConfig.JobManagers settings = config.jobManagers();
        return switch (settings.locator()) {
            case LOCAL -> new LocalJobManagerLocator(http, settings.provisionerUrl(), Duration.ofSeconds(10),
                    new ClusterTokens(config.clusterTokenSecret()));
            case KUBERNETES -> new KubernetesJobManagerLocator(settings.namespace(), settings.restPort());
        };
    }
}
