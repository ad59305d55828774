package dev.slipway.submission.cluster;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.provisioning.FlinkProcessConfiguration;
import dev.slipway.rest.problems.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a cluster request field by field and turns it into the contract's {@link ClusterSpec}. Pure: no
 * I/O, no clock; every error names the path of its field in the request body.
 */
public final class ClusterValidator {

    /** Below this Flink's own fixed parts (metaspace, overhead, framework memory) leave no heap. */
    public static final int MIN_JOB_MANAGER_MB = 768;
    public static final int MIN_TASK_MANAGER_MB = 1024;
    public static final int MAX_JOB_MANAGER_REPLICAS = 3;
    public static final int MAX_SLOTS = 64;
    public static final int MAX_TASK_MANAGERS = 1000;
    public static final long MIN_IDLE_TIMEOUT_SECONDS = 10;
    public static final long MAX_TIMEOUT_SECONDS = 86_400;
    public static final int MAX_CONFIGURATION_ENTRIES = 200;
    public static final int MAX_VALUE_LENGTH = 4096;

    /** Defaults as Flink's own: jobmanager.memory.process.size 1600m, taskmanager.memory.process.size 1728m. */
    public static final ProcessSize DEFAULT_JOB_MANAGER = new ProcessSize(1, 1600, 0);
    public static final ProcessSize DEFAULT_TASK_MANAGER = new ProcessSize(1, 1728, 0);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,62}");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** Fixed TaskManager ports collide when two TaskManagers share a node's network. */
    private static final Set<String> FIXED_PORT_KEYS = Set.of("taskmanager.rpc.port", "taskmanager.data.port");

    private final List<String> supportedLines;

    /** {@code supportedLines}: Flink release lines as major.minor, e.g. 2.2 and 1.20. */
    public ClusterValidator(List<String> supportedLines) {
        this.supportedLines = List.copyOf(supportedLines);
    }

    /** The spec, or the errors; {@code tenantQuotaTaskManagers} is left 0 (the quota share is the service's). */
    public record Outcome(ClusterSpec spec, List<FieldError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public Outcome forCreate(ClusterRequest request, String tenant) {
        return validate(request, tenant, null);
    }

    /** As {@link #forCreate}, and refuses changes that need a new JobManager (recreate the cluster for those). */
    public Outcome forChange(ClusterRequest request, ClusterSpec current) {
        return validate(request, current.tenant(), current);
    }

    private Outcome validate(ClusterRequest r, String tenant, ClusterSpec current) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null) {
            return new Outcome(null, List.of(new FieldError("body", "a cluster is required")));
        }
        if (r.name() == null || r.name().isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "1 to 63 letters, digits, '.', '_', '-' or spaces, starting with a letter or digit"));
        }
        if (r.mode() == null) {
            errors.add(new FieldError("mode", "is required: STATIC or ELASTIC"));
        }
        String version = r.flinkVersion() == null ? ClusterSpec.DEFAULT_FLINK_VERSION : r.flinkVersion();
        Matcher versionParts = VERSION.matcher(version);
        if (!versionParts.matches()) {
            errors.add(new FieldError("flinkVersion", "must look like 2.2.0; supported release lines: " + lines()));
        } else if (!supportedLines.contains(versionParts.group(1) + "." + versionParts.group(2))) {
            errors.add(new FieldError("flinkVersion", "Flink " + version + " is not supported; supported release lines: " + lines()));
        }
        ProcessSize jobManager = size(r.jobManager(), "jobManager", DEFAULT_JOB_MANAGER, MIN_JOB_MANAGER_MB, errors);
        ProcessSize taskManager = size(r.taskManager(), "taskManager", DEFAULT_TASK_MANAGER, MIN_TASK_MANAGER_MB, errors);
        int replicas = between(r.jobManagerReplicas(), 1, "jobManagerReplicas", 1, MAX_JOB_MANAGER_REPLICAS, errors);
        Map<String, String> configuration = r.flinkConfiguration() == null ? Map.of() : r.flinkConfiguration();
        boolean highAvailability = r.highAvailability() == null || r.highAvailability();
        if (replicas > 1 && !highAvailability) {
            errors.add(new FieldError("jobManagerReplicas",
                    "standby JobManagers take over through high availability: leave highAvailability on, or ask for 1 replica"));
        }
        int slots = between(r.slotsPerTaskManager(), 1, "slotsPerTaskManager", 1, MAX_SLOTS, errors);

        int staticTaskManagers = 0;
        ElasticPolicy elastic = null;
        if (r.mode() == ClusterMode.STATIC) {
            if (r.staticTaskManagers() == null) {
                errors.add(new FieldError("staticTaskManagers", "is required for a STATIC cluster"));
            } else {
                staticTaskManagers = between(r.staticTaskManagers(), 1, "staticTaskManagers", 1, MAX_TASK_MANAGERS, errors);
            }
            if (r.elastic() != null) {
                errors.add(new FieldError("elastic", "only an ELASTIC cluster has an elastic policy"));
            }
        } else if (r.mode() == ClusterMode.ELASTIC) {
            if (r.staticTaskManagers() != null && r.staticTaskManagers() != 0) {
                errors.add(new FieldError("staticTaskManagers", "only a STATIC cluster has a fixed TaskManager count"));
            }
            elastic = elastic(r.elastic(), errors);
        }
        FailurePolicy failures = failures(r.failures(), errors);
        NetworkProfile network = r.network() == null ? NetworkProfile.POD_NETWORK : r.network();
        configuration(configuration, network, errors);

        if (current != null) {
            immutable("mode", current.mode(), r.mode(), errors);
            immutable("flinkVersion", current.flinkVersion(), version, errors);
            immutable("jobManager", current.jobManager(), jobManager, errors);
            immutable("highAvailability", current.highAvailability(), r.highAvailability(), errors);
        }
        if (!errors.isEmpty()) {
            return new Outcome(null, List.copyOf(errors));
        }
        ClusterSpec spec = new ClusterSpec(r.name(), tenant, r.mode(), version, jobManager, replicas, taskManager, slots,
                staticTaskManagers, elastic, 0, failures, network, configuration, highAvailability);
        return new Outcome(spec, List.of());
    }

    /** The most TaskManagers a cluster of this spec may hold: what it takes from its tenant's quota. */
    public static int maxTaskManagers(ClusterSpec spec) {
        return spec.mode() == ClusterMode.STATIC ? spec.staticTaskManagers() : spec.elastic().maxTaskManagers();
    }

    private String lines() {
        return String.join(", ", supportedLines.stream().map(line -> line + ".x").toList());
    }

    private static ProcessSize size(ClusterRequest.Size size, String field, ProcessSize defaults, int minMemoryMb,
            List<FieldError> errors) {
        if (size == null) {
            return defaults;
        }
        int before = errors.size();
        double cpu = size.cpu() == null ? defaults.cpu() : size.cpu();
        if (!(cpu >= ProcessSize.MIN_CPU && cpu <= ProcessSize.MAX_CPU)) {
            errors.add(new FieldError(field + ".cpu",
                    "must be between " + ProcessSize.MIN_CPU + " and " + (int) ProcessSize.MAX_CPU + " cores"));
        }
        int memory = between(size.memoryMb(), defaults.memoryMb(), field + ".memoryMb", minMemoryMb, ProcessSize.MAX_MEMORY_MB,
                errors);
        int disk = between(size.diskMb(), 0, field + ".diskMb", 0, ProcessSize.MAX_DISK_MB, errors);
        return errors.size() > before ? defaults : new ProcessSize(cpu, memory, disk);
    }

    private static ElasticPolicy elastic(ClusterRequest.Elastic elastic, List<FieldError> errors) {
        if (elastic == null) {
            errors.add(new FieldError("elastic", "is required for an ELASTIC cluster (at least maxTaskManagers)"));
            return null;
        }
        int before = errors.size();
        int max = 1;
        if (elastic.maxTaskManagers() == null) {
            errors.add(new FieldError("elastic.maxTaskManagers", "is required"));
        } else {
            max = between(elastic.maxTaskManagers(), 1, "elastic.maxTaskManagers", 1, MAX_TASK_MANAGERS, errors);
        }
        int warm = between(elastic.warmPool(), 0, "elastic.warmPool", 0, MAX_TASK_MANAGERS, errors);
        if (errors.size() == before && warm > max) {
            errors.add(new FieldError("elastic.warmPool", "must not exceed elastic.maxTaskManagers (" + max + ")"));
        }
        long idle = between(elastic.idleTimeoutSeconds(), ElasticPolicy.DEFAULT_IDLE_TIMEOUT_SECONDS,
                "elastic.idleTimeoutSeconds", MIN_IDLE_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, errors);
        return errors.size() > before ? null : new ElasticPolicy(warm, max, idle);
    }

    private static FailurePolicy failures(ClusterRequest.Failures failures, List<FieldError> errors) {
        if (failures == null) {
            return FailurePolicy.DEFAULT;
        }
        FailurePolicy defaults = FailurePolicy.DEFAULT;
        int before = errors.size();
        long start = between(failures.startTimeoutSeconds(), defaults.startTimeoutSeconds(), "failures.startTimeoutSeconds",
                10, MAX_TIMEOUT_SECONDS, errors);
        int threshold = between(failures.crashLoopThreshold(), defaults.crashLoopThreshold(), "failures.crashLoopThreshold",
                1, 100, errors);
        long initial = between(failures.initialBackoffSeconds(), defaults.initialBackoffSeconds(),
                "failures.initialBackoffSeconds", 1, MAX_TIMEOUT_SECONDS, errors);
        long max = between(failures.maxBackoffSeconds(), Math.max(defaults.maxBackoffSeconds(), initial),
                "failures.maxBackoffSeconds", 1, MAX_TIMEOUT_SECONDS, errors);
        if (errors.size() == before && max < initial) {
            errors.add(new FieldError("failures.maxBackoffSeconds", "must not be less than failures.initialBackoffSeconds (" + initial + ")"));
        }
        return errors.size() > before ? defaults : new FailurePolicy(start, threshold, initial, max);
    }

    private static void configuration(Map<String, String> configuration, NetworkProfile network, List<FieldError> errors) {
        if (configuration.size() > MAX_CONFIGURATION_ENTRIES) {
            errors.add(new FieldError("flinkConfiguration", "at most " + MAX_CONFIGURATION_ENTRIES + " entries"));
            return;
        }
        configuration.forEach((key, value) -> {
            String field = "flinkConfiguration[" + key + "]";
            if (key == null || !KEY.matcher(key).matches()) {
                errors.add(new FieldError(field, "not a Flink configuration key"));
            } else if (FlinkProcessConfiguration.platformOwned(key)) {
                errors.add(new FieldError(field, "'" + key + "' is set by the platform and cannot be overridden"));
            } else if (value == null || value.length() > MAX_VALUE_LENGTH) {
                errors.add(new FieldError(field, "needs a value of at most " + MAX_VALUE_LENGTH + " characters"));
            } else if (network == NetworkProfile.HOST_NETWORK && FIXED_PORT_KEYS.contains(key) && !isRandomPort(value)) {
                errors.add(new FieldError(field, "a fixed port collides when two TaskManagers share a node on the host network;"
                        + " use 0 or a range such as 50100-50200"));
            }
        });
    }

    private static boolean isRandomPort(String value) {
        String trimmed = value.trim();
        return trimmed.equals("0") || trimmed.contains("-") || trimmed.contains(",");
    }

    private static void immutable(String field, Object current, Object requested, List<FieldError> errors) {
        if (requested != null && !Objects.equals(current, requested)) {
            errors.add(new FieldError(field, "cannot change on an existing cluster (it needs a new JobManager); create a new cluster"));
        }
    }

    private static int between(Integer value, int defaultValue, String field, int min, int max, List<FieldError> errors) {
        int v = value == null ? defaultValue : value;
        if (v < min || v > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
        return v;
    }

    private static long between(Long value, long defaultValue, String field, long min, long max, List<FieldError> errors) {
        long v = value == null ? defaultValue : value;
        if (v < min || v > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
        return v;
    }
}
