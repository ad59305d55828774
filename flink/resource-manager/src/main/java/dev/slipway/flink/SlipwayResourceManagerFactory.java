package dev.slipway.flink;

import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.resourcemanager.ResourceManagerRuntimeServicesConfiguration;
import org.apache.flink.runtime.resourcemanager.active.ActiveResourceManagerFactory;
import org.apache.flink.runtime.resourcemanager.active.ResourceManagerDriver;
import org.apache.flink.util.ConfigurationException;

/** Plugs the platform's driver into Flink's active resource manager, as Flink's Kubernetes integration does. */
public final class SlipwayResourceManagerFactory extends ActiveResourceManagerFactory<SlipwayWorker> {

    public static final SlipwayResourceManagerFactory INSTANCE = new SlipwayResourceManagerFactory();

    private SlipwayResourceManagerFactory() {
    }

    @Override
    protected ResourceManagerDriver<SlipwayWorker> createResourceManagerDriver(Configuration configuration, String webInterfaceUrl,
            String rpcAddress) {
        String tokenFile = configuration.get(SlipwayOptions.CLUSTER_TOKEN_FILE);
        ClusterCredential credential = tokenFile == null || tokenFile.isBlank()
                ? ClusterCredential.fixed(SlipwayOptions.require(configuration, SlipwayOptions.CLUSTER_TOKEN))
                : ClusterCredential.file(Path.of(tokenFile));
        PlatformClient platform = new PlatformClient(SlipwayOptions.require(configuration, SlipwayOptions.SCHEDULER_URL),
                SlipwayOptions.require(configuration, SlipwayOptions.CLUSTER_ID), credential);
        return new SlipwayResourceManagerDriver(configuration, platform);
    }

    @Override
    protected ResourceManagerRuntimeServicesConfiguration createResourceManagerRuntimeServicesConfiguration(Configuration configuration)
            throws ConfigurationException {
        return ResourceManagerRuntimeServicesConfiguration.fromConfiguration(configuration, SlipwayWorkerResourceSpecFactory.INSTANCE);
    }
}
