-- The inventory as the deploy-service last started with it: one row per application, environment and host
-- (address:port), with a hash of each setting that applies to it (never the value: a command may hold a
-- secret) and a fingerprint over them all. A start records in inventory_change only what differs.
create table inventory_entry (
    application text        not null,
    environment text        not null,
    host        text        not null,
    fingerprint text        not null,
    settings    jsonb       not null,
    updated_at  timestamptz not null,
    primary key (application, environment, host)
);

create table inventory_change (
    id          bigserial   primary key,
    changed_at  timestamptz not null,
    application text        not null,
    environment text        not null,
    host        text        not null,
    change      text        not null check (change in ('added', 'changed', 'removed')),
    settings    text,       -- for 'changed': the names of the settings that changed, comma-separated
    old_hash    text,
    new_hash    text
);

create index inventory_change_entry on inventory_change (application, environment, host, changed_at);
