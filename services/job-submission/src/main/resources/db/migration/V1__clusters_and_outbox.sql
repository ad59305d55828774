-- Session clusters of every tenant. The spec is the contract's ClusterSpec as JSON (what was last published);
-- the other columns are what queries and quotas need.
create table clusters (
    id                  varchar(63)  primary key,
    tenant              varchar(63)  not null,
    name                varchar(63)  not null,
    generation          bigint       not null,
    spec                text         not null,
    max_task_managers   integer      not null,
    lifecycle           varchar(16)  not null,
    status              varchar(16)  not null,
    status_reason       text,
    scheduler_degraded  boolean      not null default false,
    scheduler_reason    text,
    ever_running        boolean      not null default false,
    job_manager_failure text,
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null
);
create index clusters_tenant on clusters (tenant, lifecycle);
-- A name is unique among a tenant's clusters that are not being deleted.
create unique index clusters_tenant_name on clusters (tenant, name) where lifecycle = 'ACTIVE';

-- The pods of each cluster as the pod facts report them; GONE is final (a late fact never revives a pod).
create table cluster_pods (
    id          varchar(200) primary key,
    cluster_id  varchar(63)  not null references clusters (id),
    pod_name    varchar(128) not null,
    role        varchar(16),
    phase       varchar(16)  not null,
    address     varchar(255),
    node_name   varchar(255),
    reason      text,
    updated_at  timestamptz  not null
);
create index cluster_pods_cluster on cluster_pods (cluster_id, phase);

-- Transactional outbox: every event is written here in the transaction of the change that caused it;
-- the relay publishes unsent rows in id order and marks them sent.
create table outbox (
    id           bigint generated always as identity primary key,
    event_id     varchar(64)  not null unique,
    topic        varchar(249) not null,
    message_key  varchar(255) not null,
    event_type   varchar(100) not null,
    payload      text         not null,
    traceparent  varchar(128),
    created_at   timestamptz  not null,
    sent_at      timestamptz
);
create index outbox_unsent on outbox (id) where sent_at is null;
