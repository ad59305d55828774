-- Checkpoints that earlier runs retained and that nothing of the job starts from any more: the reconciler disposes of them
-- through Flink (newline-separated paths, oldest first), one at a time (its trigger).
alter table jobs add column checkpoints_to_dispose text;
alter table jobs add column checkpoint_disposal_trigger varchar(64);
