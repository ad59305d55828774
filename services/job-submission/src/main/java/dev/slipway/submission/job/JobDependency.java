package dev.slipway.submission.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A jar a job version runs with beside its own: fetched for a Maven {@code coordinate}, or uploaded with the version
 * ({@code coordinate} null). {@code file} is its name on the job's classpath, {@code sha256} where the artifact store
 * keeps it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobDependency(String coordinate, String file, String sha256, long size) {
}
