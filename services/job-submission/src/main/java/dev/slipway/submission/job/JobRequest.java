package dev.slipway.submission.job;

import dev.slipway.contracts.jobs.JobKind;
import java.util.List;
import java.util.Map;

/**
 * A job as users write it: the JSON body (SQL), or the {@code job} part or the form fields of a multipart
 * upload (JAR). Every field may be missing; {@link JobValidator} says which must be there.
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
        String script) {

    public JobRequest withJarDefaults(String entryClassFromManifest) {
        return new JobRequest(type == null ? JobKind.JAR : type, name, clusterId,
                entryClass == null || entryClass.isBlank() ? entryClassFromManifest : entryClass, parallelism, args,
                flinkConfiguration, savepointPath, script);
    }
}
