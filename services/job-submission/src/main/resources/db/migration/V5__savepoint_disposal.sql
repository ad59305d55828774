-- Savepoint retention: the reconciler disposes of a job's older savepoints through Flink (POST /savepoint-disposal).
-- The row stays, so the job's history still shows every savepoint and when it was disposed of.
alter table job_savepoints add column disposal_trigger varchar(64);
alter table job_savepoints add column disposed_at timestamptz;
alter table job_savepoints add column disposal_error text;
