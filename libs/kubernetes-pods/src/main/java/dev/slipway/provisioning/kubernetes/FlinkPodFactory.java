package dev.slipway.provisioning.kubernetes;

import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.FlinkJvmOptions;
import dev.slipway.provisioning.FlinkProcessConfiguration;
import dev.slipway.provisioning.JobManagerAddress;
import dev.slipway.provisioning.PlatformAccess;
import dev.slipway.provisioning.PodLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the pod (and a JobManager's Service) of a {@link ProvisionPod} decision. Pure: no I/O, the
 * same decision always gives the same pod.
 *
 * <p>The user's pod template lies underneath: its extra labels, annotations, tolerations, node
 * selector, affinity, sidecars, volumes and the main container's env and mounts survive. What the
 * platform must control always wins: name, the platform's labels, the main container's image,
 * command, arguments, ports, probe and resources, the network profile, the restart policy, the log
 * volume and the Flink configuration.
 *
 * <p>How Flink starts: the main container runs {@link #LAUNCHER} with bash, which starts
 * {@link FlinkProcessConfiguration#mainClass} the way Flink's own {@code flink-console.sh} does
 * (JVM memory flags computed by Flink's BashJavaUtils, classpath from {@code lib/}), and passes the
 * pod's Flink configuration as {@code -Dkey=value} dynamic properties in the container arguments.
 * Arguments rather than a mounted {@code config.yaml}: one object per pod (nothing to clean up, no
 * ConfigMap permissions), readable with {@code kubectl describe}, and the image's own
 * {@code config.yaml} stays underneath, overridden key by key.
 */
public final class FlinkPodFactory {

    public static final String MAIN_CONTAINER = "flink";
    /** Where the image holds Flink: {@code lib/} (the classpath), {@code conf/}, {@code plugins/} and {@code log/}, as the official images do. */
    public static final String FLINK_HOME = "/opt/flink";
    public static final String LOG_VOLUME = "slipway-logs";
    /** Flink's default log directory in the official images; {@code FLINK_LOG_DIR} points there too. */
    public static final String LOG_MOUNT_PATH = FLINK_HOME + "/log";
    public static final int TASK_MANAGER_RPC_PORT = 6122;
    public static final int BLOB_PORT = 6124;
    public static final String DECISION_ANNOTATION = "slipway.dev/decision";
    public static final String GENERATION_ANNOTATION = "slipway.dev/generation";
    static final String SPREAD_WHEN_UNSATISFIABLE = "ScheduleAnyway";

    /** The log4j configuration in the image's {@code conf/} that the processes run with (the official images ship it). */
    public static final String LOG_CONFIGURATION = "log4j-console.properties";

    /**
     * Started as {@code bash -c LAUNCHER slipway-flink <main class> <jobmanager|taskmanager> -Dk=v...}. It needs only
     * {@code java} and the image's {@code lib/} and {@code conf/}, and does what Flink's {@code flink-console.sh} does
     * with them, the way local pods start ({@code FlinkProcessSizing}): Flink's own {@code BashJavaUtils} computes the
     * JVM memory flags and derived settings from the configuration, then the main class runs with the Java 17 module
     * flags of Flink's default configuration. The classpath is lib/ in name order with flink-dist last, as Flink's
     * {@code constructFlinkClassPath} builds it. It leans on none of the image's scripts, so the same launcher runs in a
     * test against an image root laid out from the local pods' distribution.
     * It contains neither {@code $(} nor {@code $$}: Kubernetes would expand or reduce those.
     */
    static final String LAUNCHER = """
            # Starts Flink main class $1 as $2 (jobmanager|taskmanager); $3... are the platform's dynamic properties.
            export FLINK_HOME="${FLINK_HOME:-%1$s}"
            export FLINK_CONF_DIR="${FLINK_CONF_DIR:-$FLINK_HOME/conf}" FLINK_LIB_DIR="$FLINK_HOME/lib" FLINK_OPT_DIR="$FLINK_HOME/opt"
            export FLINK_PLUGINS_DIR="${FLINK_PLUGINS_DIR:-$FLINK_HOME/plugins}" FLINK_LOG_DIR="${FLINK_LOG_DIR:-$FLINK_HOME/log}"
            java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
            main="$1"; role="$2"; shift 2
            classpath=""; dist=""
            for jar in "$FLINK_LIB_DIR"/*.jar; do
              case "${jar##*/}" in flink-dist*) dist="$jar" ;; *) classpath="$classpath${classpath:+:}$jar" ;; esac
            done
            classpath="$classpath${dist:+:$dist}"
            if [ "$role" = taskmanager ]; then sizing=GET_TM_RESOURCE_PARAMS; else sizing=GET_JM_RESOURCE_PARAMS; fi
            answer=`"$java" -classpath "$classpath" org.apache.flink.runtime.util.bash.BashJavaUtils "$sizing" --configDir "$FLINK_CONF_DIR" "$@" 2>&1`
            results=`printf '%%s\\n' "$answer" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -n 2`
            if [ `printf '%%s\\n' "$results" | grep -c .` != 2 ]; then
              echo "Flink could not size the $role process from its configuration:" >&2; printf '%%s\\n' "$answer" >&2; exit 1
            fi
            jvm_memory=`printf '%%s\\n' "$results" | head -n 1`
            derived=`printf '%%s\\n' "$results" | tail -n 1`
            exec "$java" $jvm_memory %2$s ${FLINK_ENV_JAVA_OPTS:-} "-Dlog.file=$FLINK_LOG_DIR/$role.log" \
              "-Dlog4j.configurationFile=file:$FLINK_CONF_DIR/%3$s" -classpath "$classpath" "$main" \
              --configDir "$FLINK_CONF_DIR" $derived "$@"
            """.formatted(FLINK_HOME, String.join(" ", FlinkJvmOptions.JAVA_17), LOG_CONFIGURATION);
    static final List<String> COMMAND = List.of("/bin/bash", "-c", LAUNCHER, "slipway-flink");

    /** Resources the platform sizes; any other (a GPU, say) may come from the template. */
    private static final Set<String> SIZED_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    private static final Set<String> PLATFORM_LABELS =
            Set.of(PodLabels.MANAGED_BY, PodLabels.CLUSTER, PodLabels.ROLE, PodLabels.REQUEST);

    private final KubernetesBackendSettings settings;

    public FlinkPodFactory(KubernetesBackendSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public static String serviceName(String clusterId) {
        return clusterId + "-jobmanager";
    }

    /** TaskManagers and clients reach a cluster's JobManager through its Service. */
    public static JobManagerAddress jobManagerAddress(String clusterId) {
        return new JobManagerAddress(serviceName(clusterId), JobManagerAddress.DEFAULT_RPC_PORT,
                JobManagerAddress.DEFAULT_REST_PORT);
    }

    public Pod pod(ProvisionPod decision) {
        Pod template = settings.podTemplate();
        Pod pod = template == null ? new Pod() : template;
        ObjectMeta templateMeta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();

        ObjectMeta meta = new ObjectMeta();
        meta.setName(decision.podName());
        meta.setLabels(labels(templateMeta.getLabels(), decision));
        meta.setAnnotations(annotations(templateMeta.getAnnotations(), decision));

        // The scheduler replaces a dead pod with a new one; a restart in place would hide the failure.
        spec.setRestartPolicy("Never");
        if (settings.serviceAccountName() != null) {
            spec.setServiceAccountName(settings.serviceAccountName());
        }
        if (decision.spec().network() == NetworkProfile.HOST_NETWORK) {
            spec.setHostNetwork(true);
            spec.setDnsPolicy("ClusterFirstWithHostNet");
        } else {
            spec.setHostNetwork(null);
        }
        if (decision.role() == PodRole.TASK_MANAGER) {
            spec.setTopologySpreadConstraints(spread(spec.getTopologySpreadConstraints(), decision));
        }
        spec.setContainers(containers(spec.getContainers(), decision));
        spec.setVolumes(volumes(spec.getVolumes()));

        Pod result = new Pod();
        result.setApiVersion("v1");
        result.setKind("Pod");
        result.setMetadata(meta);
        result.setSpec(spec);
        return result;
    }

    public Service jobManagerService(String clusterId) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(serviceName(clusterId))
                .withLabels(PodLabels.of(clusterId, PodRole.JOB_MANAGER, null))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector(clusterId, PodRole.JOB_MANAGER))
                .withPorts(servicePort("rpc", JobManagerAddress.DEFAULT_RPC_PORT), servicePort("blob", BLOB_PORT),
                        servicePort("rest", JobManagerAddress.DEFAULT_REST_PORT))
                .endSpec()
                .build();
    }

    /**
     * The Flink configuration of the pod: {@link FlinkProcessConfiguration#of}, plus what running in a
     * pod behind a Service needs (listen on all interfaces, a fixed blob port the Service exposes, a
     * TaskManager announcing its pod IP). Values are escaped for Kubernetes' {@code $(VAR)} expansion,
     * except the pod IP, which is meant to be expanded.
     */
    public Map<String, String> flinkConfiguration(ProvisionPod decision) {
        PlatformAccess platform = new PlatformAccess(settings.schedulerUrl(),
                settings.clusterToken().apply(decision.clusterId()), settings.metrics(), settings.highAvailability());
        Map<String, String> conf = new LinkedHashMap<>();
        FlinkProcessConfiguration.of(decision, jobManagerAddress(decision.clusterId()), platform)
                .forEach((key, value) -> conf.put(key, value.replace("$", "$$")));
        if (decision.role() == PodRole.JOB_MANAGER) {
            conf.put("jobmanager.bind-host", "0.0.0.0");
            conf.put("rest.bind-address", "0.0.0.0");
            conf.put("blob.server.port", Integer.toString(BLOB_PORT));
        } else {
            conf.put("taskmanager.bind-host", "0.0.0.0");
            conf.put("taskmanager.host", "$(POD_IP)");
            conf.put("taskmanager.rpc.port", Integer.toString(TASK_MANAGER_RPC_PORT));
        }
        return conf;
    }

    /** The main container's arguments: main class, role, then the configuration as dynamic properties. */
    public List<String> arguments(ProvisionPod decision) {
        List<String> args = new ArrayList<>();
        args.add(FlinkProcessConfiguration.mainClass(decision));
        args.add(PodLabels.roleValue(decision.role()));
        flinkConfiguration(decision).forEach((key, value) -> args.add("-D" + key + "=" + value));
        return args;
    }

    static String cpu(double cores) {
        long millis = Math.round(cores * 1000);
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    private static Map<String, String> labels(Map<String, String> template, ProvisionPod decision) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (template != null) {
            template.forEach((key, value) -> {
                if (!PLATFORM_LABELS.contains(key)) {
                    labels.put(key, value);
                }
            });
        }
        labels.putAll(PodLabels.of(decision.clusterId(), decision.role(), decision.requestId()));
        return labels;
    }

    private static Map<String, String> annotations(Map<String, String> template, ProvisionPod decision) {
        Map<String, String> annotations = template == null ? new LinkedHashMap<>() : new LinkedHashMap<>(template);
        annotations.put(DECISION_ANNOTATION, decision.eventId());
        annotations.put(GENERATION_ANNOTATION, Long.toString(decision.generation()));
        return annotations;
    }

    private static Map<String, String> selector(String spreadGroup, PodRole role) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(PodLabels.CLUSTER, spreadGroup);
        selector.put(PodLabels.ROLE, PodLabels.roleValue(role));
        return selector;
    }

    private static List<TopologySpreadConstraint> spread(List<TopologySpreadConstraint> template, ProvisionPod decision) {
        Placement placement = decision.placement();
        String group = placement.spreadGroup() == null ? decision.clusterId() : placement.spreadGroup();
        TopologySpreadConstraint own = new TopologySpreadConstraintBuilder()
                .withMaxSkew(placement.maxSkew())
                .withTopologyKey(placement.topologyKey())
                .withWhenUnsatisfiable(SPREAD_WHEN_UNSATISFIABLE)
                .withNewLabelSelector()
                .withMatchLabels(selector(group, PodRole.TASK_MANAGER))
                .endLabelSelector()
                .build();
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        if (template != null) {
            // Kubernetes refuses two constraints with the same topology key and mode: ours replaces the template's.
            template.stream()
                    .filter(c -> !(own.getTopologyKey().equals(c.getTopologyKey())
                            && SPREAD_WHEN_UNSATISFIABLE.equals(c.getWhenUnsatisfiable())))
                    .forEach(constraints::add);
        }
        constraints.add(own);
        return constraints;
    }

    private List<Container> containers(List<Container> template, ProvisionPod decision) {
        List<Container> containers = new ArrayList<>();
        Container main = null;
        List<Container> sidecars = new ArrayList<>();
        for (Container container : template == null ? List.<Container>of() : template) {
            if (MAIN_CONTAINER.equals(container.getName())) {
                main = container;
            } else {
                sidecars.add(container);
            }
        }
        containers.add(mainContainer(main == null ? new Container() : main, decision));
        containers.addAll(sidecars);
        return containers;
    }

    private Container mainContainer(Container main, ProvisionPod decision) {
        boolean jobManager = decision.role() == PodRole.JOB_MANAGER;
        main.setName(MAIN_CONTAINER);
        main.setImage(settings.imageFor(decision.spec().flinkVersion()));
        main.setImagePullPolicy(settings.imagePullPolicy());
        main.setCommand(new ArrayList<>(COMMAND));
        main.setArgs(arguments(decision));
        main.setResources(resources(main.getResources(), decision.resources()));
        main.setPorts(jobManager
                ? List.of(containerPort("rpc", JobManagerAddress.DEFAULT_RPC_PORT), containerPort("blob", BLOB_PORT),
                        containerPort("rest", JobManagerAddress.DEFAULT_REST_PORT))
                : List.of(containerPort("rpc", TASK_MANAGER_RPC_PORT)));
        // Ready once the process answers: a JobManager's REST API (it answers 503 while its dispatcher is not elected yet,
        // though the port is open), a TaskManager's RPC port.
        main.setReadinessProbe(jobManager ? restProbe() : tcpProbe(TASK_MANAGER_RPC_PORT));
        main.setEnv(env(main.getEnv()));
        main.setVolumeMounts(mounts(main.getVolumeMounts(), decision));
        return main;
    }

    private static ResourceRequirements resources(ResourceRequirements template, ProcessSize size) {
        Map<String, Quantity> sized = new LinkedHashMap<>();
        sized.put("cpu", new Quantity(cpu(size.cpu())));
        sized.put("memory", new Quantity(size.memoryMb() + "Mi"));
        if (size.diskMb() > 0) {
            sized.put("ephemeral-storage", new Quantity(size.diskMb() + "Mi"));
        }
        ResourceRequirements resources = new ResourceRequirements();
        resources.setRequests(withExtras(template == null ? null : template.getRequests(), sized));
        resources.setLimits(withExtras(template == null ? null : template.getLimits(), sized));
        return resources;
    }

    private static Map<String, Quantity> withExtras(Map<String, Quantity> template, Map<String, Quantity> sized) {
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (template != null) {
            template.forEach((name, amount) -> {
                if (!SIZED_RESOURCES.contains(name)) {
                    amounts.put(name, amount);
                }
            });
        }
        amounts.putAll(sized);
        return amounts;
    }

    private static List<EnvVar> env(List<EnvVar> template) {
        List<EnvVar> platform = List.of(
                new EnvVarBuilder().withName("FLINK_LOG_DIR").withValue(LOG_MOUNT_PATH).build(),
                new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
        List<EnvVar> env = new ArrayList<>();
        if (template != null) {
            template.stream()
                    .filter(var -> platform.stream().noneMatch(own -> own.getName().equals(var.getName())))
                    .forEach(env::add);
        }
        env.addAll(platform);
        return env;
    }

    private List<VolumeMount> mounts(List<VolumeMount> template, ProvisionPod decision) {
        List<VolumeMount> mounts = new ArrayList<>();
        if (template != null) {
            template.stream()
                    .filter(m -> !LOG_VOLUME.equals(m.getName()) && !LOG_MOUNT_PATH.equals(m.getMountPath()))
                    .forEach(mounts::add);
        }
        // The kubelet creates <logRoot>/<cluster>/<pod> for the subPath; the node log agent reads it.
        mounts.add(new VolumeMountBuilder()
                .withName(LOG_VOLUME)
                .withMountPath(LOG_MOUNT_PATH)
                .withSubPath(decision.clusterId() + "/" + decision.podName())
                .build());
        return mounts;
    }

    private List<Volume> volumes(List<Volume> template) {
        List<Volume> volumes = new ArrayList<>();
        if (template != null) {
            template.stream().filter(v -> !LOG_VOLUME.equals(v.getName())).forEach(volumes::add);
        }
        volumes.add(new VolumeBuilder()
                .withName(LOG_VOLUME)
                .withNewHostPath()
                .withPath(settings.logRoot())
                .withType("DirectoryOrCreate")
                .endHostPath()
                .build());
        return volumes;
    }

    private static ContainerPort containerPort(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    private static ServicePort servicePort(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withNewTargetPort(port).withProtocol("TCP").build();
    }

    private static Probe restProbe() {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/overview")
                .withNewPort(JobManagerAddress.DEFAULT_REST_PORT)
                .endHttpGet()
                .withPeriodSeconds(2)
                .build();
    }

    private static Probe tcpProbe(int port) {
        return new ProbeBuilder()
                .withNewTcpSocket()
                .withNewPort(port)
                .endTcpSocket()
                .withPeriodSeconds(2)
                .build();
    }
}
