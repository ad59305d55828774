package dev.slipway.provisioning.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.slipway.contracts.resources.PodFailed;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API errors on create become {@code PodFailed} facts, once, with the API's message. The server
 * answers the pod creation from recorded expectations and everything else (the listing and the
 * informer's watch) in CRUD mode: the mixed mode the extension gives with {@code crud = true}.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesApiErrorsTest {

    private static final String NAMESPACE = "slipway";
    private static final String PODS = "/api/v1/namespaces/" + NAMESPACE + "/pods";

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final RecordingSink sink = new RecordingSink();
    private KubernetesPodBackend backend;

    @BeforeEach
    void startBackend() {
        backend = new KubernetesPodBackend(client, NAMESPACE, Decisions.settings(), Clock.fixed(Decisions.T0, ZoneOffset.UTC));
        backend.start(sink);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void forbiddenBecomesAFact() {
        String message = "pods is forbidden: User \"system:serviceaccount:slipway:pod-provisioner\" cannot create resource"
                + " \"pods\" in API group \"\" in the namespace \"slipway\"";
        server.expect().post().withPath(PODS).andReturn(403, status(403, "Forbidden", message)).once();

        assertThatCode(() -> backend.provision(Decisions.taskManager("orders", 0))).doesNotThrowAnyException();

        assertThat(sink.facts()).singleElement().isInstanceOfSatisfying(PodFailed.class, failed -> {
            assertThat(failed.podName()).isEqualTo("orders-tm-0");
            assertThat(failed.reason()).isEqualTo("Forbidden");
            assertThat(failed.message()).isEqualTo(message);
            assertThat(failed.exitCode()).isNull();
        });
    }

    @Test
    void anExceededQuotaBecomesAFactAndIsNotRetried() {
        String message = "pods \"orders-tm-1\" is forbidden: exceeded quota: compute, requested: limits.cpu=1500m,"
                + " used: limits.cpu=8, limited: limits.cpu=8";
        server.expect().post().withPath(PODS).andReturn(403, status(403, "Forbidden", message)).once();

        backend.provision(Decisions.taskManager("orders", 1));

        assertThat(sink.facts()).singleElement().isInstanceOfSatisfying(PodFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("QuotaExceeded");
            assertThat(failed.message()).isEqualTo(message);
        });
        // One attempt only: a retry would have reached the CRUD server and created the pod.
        assertThat(client.pods().inNamespace(NAMESPACE).withName("orders-tm-1").get()).isNull();
    }

    @Test
    void anInvalidPodBecomesAFact() {
        server.expect().post().withPath(PODS)
                .andReturn(422, status(422, "Invalid", "Pod \"Orders_tm_2\" is invalid: metadata.name: Invalid value"))
                .once();

        backend.provision(Decisions.taskManager("orders", 2));

        assertThat(sink.last("orders-tm-2", PodFailed.class).reason()).isEqualTo("Invalid");
    }

    @Test
    void reasonsFollowTheStatusCode() {
        assertThat(KubernetesPodBackend.reason(error(401, null, "Unauthorized"))).isEqualTo("Unauthorized");
        assertThat(KubernetesPodBackend.reason(error(404, "NotFound", "namespaces \"x\" not found"))).isEqualTo("NotFound");
        assertThat(KubernetesPodBackend.reason(error(409, "AlreadyExists", "exists"))).isEqualTo("Conflict");
        assertThat(KubernetesPodBackend.reason(error(429, null, "slow down"))).isEqualTo("TooManyRequests");
        assertThat(KubernetesPodBackend.reason(error(503, null, "unavailable"))).isEqualTo("ServerError");
        assertThat(KubernetesPodBackend.reason(error(418, "Teapot", "short and stout"))).isEqualTo("Teapot");
        assertThat(KubernetesPodBackend.reason(new KubernetesClientException("connection refused"))).isEqualTo("ApiError");
        assertThat(KubernetesPodBackend.message(new KubernetesClientException("connection refused")))
                .isEqualTo("connection refused");
    }

    private static KubernetesClientException error(int code, String reason, String message) {
        return new KubernetesClientException("Failure executing: POST", code, status(code, reason, message));
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }
}
