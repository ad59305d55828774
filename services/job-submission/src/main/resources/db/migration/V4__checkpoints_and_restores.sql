-- Restarts take whichever is newer: the latest savepoint or the latest checkpoint Flink retained of an ended run.
-- Times are when each completed (a savepoint: when the platform saw it complete; a checkpoint: Flink's last acknowledgement).
alter table jobs add column latest_savepoint_at timestamptz;
alter table jobs add column latest_checkpoint text;
alter table jobs add column latest_checkpoint_at timestamptz;
-- What a SUBMIT restores from: SAVEPOINT or CHECKPOINT; op_restore_latest when it was chosen as the newest (not given by
-- the user, nor taken by a stop), so the reconciler may replace it with a newer checkpoint before submitting.
alter table jobs add column op_restore_kind varchar(16);
alter table jobs add column op_restore_latest boolean not null default false;
-- What the current run was restored from.
alter table jobs add column restored_from text;
alter table jobs add column restored_from_kind varchar(16);

update jobs j set latest_savepoint_at = (select max(s.created_at) from job_savepoints s where s.job_id = j.id and s.path = j.latest_savepoint)
    where j.latest_savepoint is not null;
update jobs set op_restore_kind = 'SAVEPOINT' where op_restore_path is not null;
