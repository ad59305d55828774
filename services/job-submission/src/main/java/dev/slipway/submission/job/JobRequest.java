package dev.slipway.submission.job;

import dev.slipway.contracts.jobs.JobKind;
import java.util.List;
import java.util.Map;

/**
 * A job as users write it: the JSON body (SQL), or the {@code job} part or the form fields of a multipart
 * upload. Every field may be missing; {@link JobValidator} says which must be there. {@code dependencies} are Maven
 * coordinates of jars the job runs with (connectors, drivers, formats), beside any jars uploaded with it.
 */
public record JobRequest(
        JobKind type,
        String name,
        String clusterId,
        String entryClass,
        Integer parallelism,
        List<String> args,
        Map<String, String> flinkConfiguration,
        String savepointPath,
        String script,
        List<String> dependencies) {

    public static JobRequest empty() {
        return new JobRequest(null, null, null, null, null, null, null, null, null, null);
    }

    public JobRequest withJarDefaults(String entryClassFromManifest) {
        return new JobRequest(type == null ? JobKind.JAR : type, name, clusterId,
                entryClass == null || entryClass.isBlank() ? entryClassFromManifest : entryClass, parallelism, args,
                flinkConfiguration, savepointPath, script, dependencies);
    }

    /** The same request as a version of the job: its cluster is the job's own. */
    public JobRequest asVersion(JobKind kind) {
        return new JobRequest(kind, name, "(the job's)", entryClass, parallelism, args, flinkConfiguration, savepointPath, script,
                dependencies);
    }
}
