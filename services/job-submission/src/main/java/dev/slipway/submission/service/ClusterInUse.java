package dev.slipway.submission.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.rest.problems.Problem;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.Job;
import dev.slipway.submission.job.Operation;
import java.util.List;
import java.util.stream.Collectors;

/** 409 for deleting a cluster that still has live jobs: the problem names them (extension member {@code jobs}). */
public class ClusterInUse extends ProblemException {

    public static final String TYPE = "https://slipway.dev/problems/cluster-has-jobs";

    private final List<LiveJob> jobs;

    public ClusterInUse(String clusterId, List<Job> live) {
        super(409, TYPE, "Cluster has live jobs", detail(clusterId, views(live)),
                List.of(new FieldError("force", "not set: with force=true the jobs are cancelled with the cluster")));
        this.jobs = views(live);
    }

    private static List<LiveJob> views(List<Job> live) {
        return live.stream().map(LiveJob::of).toList();
    }

    /** A job the deletion would end: its status and the action in progress (none: absent). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LiveJob(String id, String name, JobStatus status, Operation operation) {

        static LiveJob of(Job job) {
            return new LiveJob(job.id, job.name, job.status, job.operation == Operation.NONE ? null : job.operation);
        }
    }

    /** RFC 9457 problem details with the jobs as an extension member. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Body(String type, String title, int status, String detail, List<FieldError> errors, List<LiveJob> jobs) {
    }

    public Body body() {
        Problem problem = problem();
        return new Body(problem.type(), problem.title(), problem.status(), problem.detail(), problem.errors(), jobs);
    }

    private static String detail(String clusterId, List<LiveJob> jobs) {
        String named = jobs.stream()
                .map(job -> job.id() + " (" + job.status() + (job.operation() == null ? "" : ", " + job.operation() + " in progress") + ")")
                .collect(Collectors.joining(", "));
        return "cluster " + clusterId + " has " + jobs.size() + (jobs.size() == 1 ? " live job: " : " live jobs: ") + named
                + ". Stop, cancel or migrate them first (POST /api/v1/jobs/{id}/stop, /cancel or /migrate),"
                + " or delete with ?force=true to cancel them with the cluster.";
    }
}
