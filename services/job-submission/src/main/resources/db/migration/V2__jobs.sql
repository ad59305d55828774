-- Flink jobs of every tenant. A job keeps its platform id across versions, restarts and migrations; the
-- Flink job id is that of its current run. The op_* columns are the action in progress (at most one),
-- carried out step by step by the job reconciler.
create table jobs (
    id                varchar(63)  primary key,
    tenant            varchar(63)  not null,
    name              varchar(128) not null,
    kind              varchar(8)   not null,
    cluster_id        varchar(63)  not null references clusters (id),
    version           integer      not null,
    latest_version    integer      not null,
    status            varchar(16)  not null,
    status_reason     text,
    failure_cause     text,
    flink_job_id      varchar(32),
    runs              integer      not null default 0,
    revision          bigint       not null default 0,
    latest_savepoint  text,
    operation         varchar(16)  not null,
    op_seq            bigint       not null default 0,
    op_version        integer,
    op_cluster_id     varchar(63),
    op_restore_path   text,
    op_then_submit    boolean      not null default false,
    op_trigger_id     varchar(64),
    op_started_at     timestamptz,
    op_error          text,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null
);
create index jobs_tenant on jobs (tenant, created_at);
-- What the reconciler visits: an action in progress or a Flink job that is not over.
create index jobs_active on jobs (id) where operation <> 'NONE' or status not in ('FAILED', 'FINISHED', 'CANCELED');

-- Every version of a job: its artifact (content-addressed by sha256 in the artifact directory) and configuration, kept.
create table job_versions (
    id                   varchar(80)  primary key,
    job_id               varchar(63)  not null references jobs (id),
    version              integer      not null,
    kind                 varchar(8)   not null,
    artifact_sha256      varchar(64),
    artifact_size        bigint,
    artifact_name        varchar(255),
    entry_class          varchar(255),
    parallelism          integer,
    program_args         text         not null,
    flink_configuration  text         not null,
    savepoint_path       text,
    created_at           timestamptz  not null,
    unique (job_id, version)
);

-- Completed savepoints of a job (triggered, or taken when it was stopped).
create table job_savepoints (
    id            varchar(120) primary key,
    job_id        varchar(63)  not null references jobs (id),
    version       integer      not null,
    flink_job_id  varchar(32)  not null,
    kind          varchar(16)  not null,
    path          text         not null,
    created_at    timestamptz  not null
);
create index job_savepoints_job on job_savepoints (job_id, created_at);
