package dev.slipway.submission.dependency;

import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.JarInspector;
import dev.slipway.submission.job.JobDependency;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a version names (Maven coordinates, already in the grammar) and the jars uploaded with it into stored
 * dependencies, in that order: the uploads first, then the coordinates. An unreadable upload or a coordinate no repository
 * has is a 400 naming it; a repository that fails is a 502 saying which. Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class JobDependencies {

    public static final String REPOSITORY_FAILED = "https://slipway.dev/problems/dependency-repository-failed";

    /** A jar uploaded in the multipart part {@code dependency}, in the order of the parts. */
    public record UploadedJar(Path path, String filename) {
    }

    private final MavenResolver maven;
    private final ArtifactStore artifacts;
    private final long maxJarBytes;

    public JobDependencies(MavenResolver maven, ArtifactStore artifacts, SubmissionConfig config) {
        this.maven = maven;
        this.artifacts = artifacts;
        this.maxJarBytes = config.jobs().maxJarSize().asLongValue();
    }

    public List<JobDependency> take(List<String> coordinates, List<UploadedJar> uploads) throws IOException {
        List<FieldError> errors = new ArrayList<>();
        List<JobDependency> taken = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            UploadedJar upload = uploads.get(i);
            String field = "dependency[" + i + "]";
            long size = Files.size(upload.path());
            Optional<String> problem = size > maxJarBytes ? Optional.of("has " + size + " bytes; at most " + maxJarBytes + " are accepted")
                    : JarInspector.libraryProblem(upload.path());
            if (problem.isPresent()) {
                errors.add(new FieldError(field, upload.filename() + " " + problem.get()));
                continue;
            }
            ArtifactStore.Stored stored = artifacts.store(upload.path());
            taken.add(new JobDependency(null, upload.filename(), stored.sha256(), stored.size()));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors); // before any download: the caller mends the upload first
        }
        List<String> named = coordinates == null ? List.of() : coordinates;
        for (int i = 0; i < named.size(); i++) {
            MavenCoordinate coordinate = MavenCoordinate.parse(named.get(i));
            try {
                MavenResolver.Resolved resolved = maven.resolve(coordinate);
                taken.add(new JobDependency(coordinate.toString(), coordinate.fileName(), resolved.stored().sha256(),
                        resolved.stored().size()));
            } catch (MavenResolver.NotResolved notResolved) {
                FieldError error = new FieldError("dependencies[" + i + "]", notResolved.getMessage());
                if (notResolved.repositoryFault()) {
                    throw new ProblemException(502, REPOSITORY_FAILED, "A Maven repository failed", notResolved.getMessage()
                            + "; nothing was stored, send the job again once the repository answers", List.of(error));
                }
                errors.add(error);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return taken;
    }

    /** The dependencies a cluster of this Flink version cannot run, as errors naming them. */
    public static List<FieldError> misfits(List<JobDependency> dependencies, String clusterFlinkVersion, String clusterId) {
        List<FieldError> errors = new ArrayList<>();
        int coordinateIndex = 0;
        for (JobDependency dependency : dependencies) {
            if (dependency.coordinate() == null) {
                continue;
            }
            MavenCoordinate coordinate = MavenCoordinate.parse(dependency.coordinate());
            if (!coordinate.runsOn(clusterFlinkVersion)) {
                errors.add(new FieldError("dependencies[" + coordinateIndex + "]", coordinate + " is built for Flink "
                        + coordinate.flinkLine().orElseThrow() + " and cluster " + clusterId + " runs Flink " + clusterFlinkVersion
                        + ": name the release of it for Flink " + line(clusterFlinkVersion)));
            }
            coordinateIndex++;
        }
        return errors;
    }

    private static String line(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }
}
