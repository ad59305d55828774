package dev.slipway.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptionsInternal;
import org.apache.flink.runtime.entrypoint.ClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.ClusterEntrypointUtils;
import org.apache.flink.runtime.entrypoint.EntrypointClusterConfiguration;
import org.apache.flink.runtime.entrypoint.EntrypointClusterConfigurationParserFactory;
import org.apache.flink.runtime.entrypoint.SessionClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.component.DefaultDispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.runtime.util.JvmShutdownSafeguard;
import org.apache.flink.runtime.util.SignalHandler;

/** A Flink session cluster whose TaskManagers come from Slipway. Run like Flink's standalone session entrypoint. */
public class SlipwaySessionClusterEntrypoint extends SessionClusterEntrypoint {

    public SlipwaySessionClusterEntrypoint(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected DefaultDispatcherResourceManagerComponentFactory createDispatcherResourceManagerComponentFactory(Configuration configuration) {
        return DefaultDispatcherResourceManagerComponentFactory.createSessionComponentFactory(SlipwayResourceManagerFactory.INSTANCE);
    }

    public static void main(String[] args) {
        EnvironmentInformation.logEnvironmentInfo(LOG, SlipwaySessionClusterEntrypoint.class.getSimpleName(), args);
        SignalHandler.register(LOG);
        JvmShutdownSafeguard.installAsShutdownHook(LOG);

        EntrypointClusterConfiguration arguments = ClusterEntrypointUtils.parseParametersOrExit(args,
                new EntrypointClusterConfigurationParserFactory(), SlipwaySessionClusterEntrypoint.class);
        Configuration configuration = loadConfiguration(arguments);
        // Flink's entrypoint does not record where its configuration came from; TaskManager specs need it.
        configuration.set(DeploymentOptionsInternal.CONF_DIR, arguments.getConfigDir());
        ClusterEntrypoint.runClusterEntrypoint(new SlipwaySessionClusterEntrypoint(configuration));
    }
}
