package dev.slipway.e2e;

import dev.slipway.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server in the test JVM: s3proxy (the S3 REST API, AWS v2 and v4 signatures) over jclouds'
 * file system blob store, so every object is a file under {@code <dir>/<bucket>/<key>} the test can read.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "slipway-e2e-access";
    static final String SECRET_KEY = "slipway-e2e-secret-key-of-some-length";

    private final Path directory;
    private final int port;
    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3Server(Path directory, int port, BlobStoreContext context, S3Proxy proxy) {
        this.directory = directory;
        this.port = port;
        this.context = context;
        this.proxy = proxy;
    }

    static S3Server start(Path directory, String... buckets) throws Exception {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        int port = FreePorts.next();
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
        return new S3Server(directory, port, context, proxy);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The keys of a bucket's objects under a prefix, as files of the blob store. */
    List<String> keys(String bucket, String prefix) throws IOException {
        Path root = directory.resolve(bucket);
        Path under = root.resolve(prefix);
        if (!Files.exists(under)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(Files::isRegularFile).map(file -> root.relativize(file).toString()).sorted().toList();
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
