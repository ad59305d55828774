package dev.slipway.provisioner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The JVM flags and derived memory settings of a Flink process, computed by Flink itself exactly as its
 * start scripts do ({@code BashJavaUtils GET_TM_RESOURCE_PARAMS / GET_JM_RESOURCE_PARAMS}). It takes
 * about 0.7 s, so results are kept per distinct configuration.
 */
public final class FlinkProcessSizing {

    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /** JVM flags ({@code -Xmx...}) and {@code key=value} settings to add to the configuration. */
    public record Sizing(List<String> jvmFlags, Map<String, String> derivedConfiguration) {
    }

    private final String javaCommand;
    private final Map<String, Sizing> known = new ConcurrentHashMap<>();

    public FlinkProcessSizing(String javaCommand) {
        this.javaCommand = javaCommand;
    }

    /**
     * @param cacheKey what the result depends on (version, role, sizes, user configuration)
     * @param configDirectory a directory whose {@code config.yaml} holds the process's configuration
     */
    public Sizing sizing(String cacheKey, boolean taskManager, String classpath, Path configDirectory)
            throws IOException, InterruptedException {
        Sizing cached = known.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Sizing computed = compute(taskManager, classpath, configDirectory);
        known.put(cacheKey, computed);
        return computed;
    }

    private Sizing compute(boolean taskManager, String classpath, Path configDirectory) throws IOException, InterruptedException {
        List<String> command = List.of(javaCommand, "-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils",
                taskManager ? "GET_TM_RESOURCE_PARAMS" : "GET_JM_RESOURCE_PARAMS", "--configDir", configDirectory.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("Flink could not size the process from " + configDirectory + ": " + tail(output));
        }
        List<String> results = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(RESULT_PREFIX)) {
                results.add(line.substring(RESULT_PREFIX.length()).trim());
            }
        }
        if (results.size() < 2) {
            throw new IOException("unexpected answer of Flink's sizing tool: " + tail(output));
        }
        return new Sizing(Arrays.stream(results.get(results.size() - 2).split("\\s+")).filter(flag -> !flag.isBlank()).toList(),
                dynamicProperties(results.get(results.size() - 1)));
    }

    /** Parses {@code -D key=value -D key2=value2}, the way Flink's scripts hand them on. */
    static Map<String, String> dynamicProperties(String text) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String part : text.split("-D ")) {
            String entry = part.trim();
            int equals = entry.indexOf('=');
            if (equals > 0) {
                properties.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
            }
        }
        return properties;
    }

    private static String tail(String output) {
        return output.length() <= 2000 ? output : output.substring(output.length() - 2000);
    }
}
