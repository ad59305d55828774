-- A SQL job's version keeps its script; its artifact is the SQL runner jar it was submitted with.
alter table job_versions add column sql_script text;
