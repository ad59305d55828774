-- Jars a version runs with beside its own (Maven dependencies and uploaded jars), as a JSON array of
-- {coordinate, file, sha256, size}; the artifact collector keeps every jar named here.
alter table job_versions add column dependencies text not null default '[]';
