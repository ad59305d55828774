-- A cluster's token generation: revoking its tokens raises it; tokens of a lower one are refused (0: never revoked).
alter table clusters add column token_generation bigint not null default 0;
