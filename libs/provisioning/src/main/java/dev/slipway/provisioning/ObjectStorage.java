package dev.slipway.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The S3-compatible object store (AWS S3, OSS, MinIO, Ceph) a platform keeps Flink state on: checkpoints, savepoints and
 * high-availability files under {@code s3://} paths, read and written by Flink's S3 file system plugin in every pod.
 * Empty fields are left to Flink's defaults (AWS endpoints, the pod's own identity for credentials).
 *
 * @param endpoint        the store's URL, e.g. {@code http://minio.storage:9000}; null for AWS
 * @param pathStyleAccess {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (MinIO, Ceph, s3proxy)
 * @param accessKey       null: the pod's identity (instance profile, IRSA)
 * @param secretKey       with the access key
 */
public record ObjectStorage(String endpoint, boolean pathStyleAccess, String accessKey, String secretKey) {

    public static final ObjectStorage NONE = new ObjectStorage(null, false, null, null);

    public static final String ENDPOINT = "s3.endpoint";
    public static final String PATH_STYLE_ACCESS = "s3.path.style.access";
    public static final String ACCESS_KEY = "s3.access-key";
    public static final String SECRET_KEY = "s3.secret-key";

    /** Credentials are the platform's: a cluster's or a job's configuration (stored, published in events) never carries them. */
    public static final Set<String> CREDENTIAL_KEYS = Set.of(ACCESS_KEY, SECRET_KEY, "s3a.access-key", "s3a.secret-key",
            "fs.s3a.access.key", "fs.s3a.secret.key");

    public ObjectStorage {
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("an object store's access key and secret key go together");
        }
    }

    /** The Flink configuration of every pod (the S3 plugins of 1.20 and 2.x read the same keys). */
    public Map<String, String> configuration() {
        Map<String, String> conf = new LinkedHashMap<>();
        if (endpoint != null) {
            conf.put(ENDPOINT, endpoint);
        }
        if (pathStyleAccess) {
            conf.put(PATH_STYLE_ACCESS, "true");
        }
        if (accessKey != null) {
            conf.put(ACCESS_KEY, accessKey);
            conf.put(SECRET_KEY, secretKey);
        }
        return conf;
    }

    /** What a log line may show: the endpoint, never the keys. */
    @Override
    public String toString() {
        return "ObjectStorage[endpoint=" + endpoint + ", pathStyleAccess=" + pathStyleAccess + ", credentials="
                + (accessKey == null ? "the pod's identity" : "configured") + "]";
    }
}
