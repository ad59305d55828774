-- Automatic recovery of a run its JobManager lost (no high availability, or its HA data gone): how many automatic
-- restarts the job had in the current window, when that window began, and when the waiting restart may be submitted.
alter table jobs add column auto_restarts integer not null default 0;
alter table jobs add column auto_restart_window_from timestamptz;
alter table jobs add column op_not_before timestamptz;
