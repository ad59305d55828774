package dev.slipway.submission.service;

/**
 * A user's action on a job was recorded: whoever carries actions out (the job reconciler) looks at the jobs now rather than at
 * its next poll. Fired as a CDI event, so the service knows nothing of who listens.
 */
public record JobsChanged() {

    public static final JobsChanged INSTANCE = new JobsChanged();
}
