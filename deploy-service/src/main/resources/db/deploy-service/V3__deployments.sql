-- A deployment (a Deploy or a Rollback) and where it is: one row, updated as it goes; its heartbeat says its
-- runner is alive, so that a runner that died is found out and its deployment ended as interrupted.
create table deployment (
    id             text primary key,          -- the command's ce_id
    kind           text        not null,      -- deploy | rollback
    application    text        not null,
    environment    text        not null,
    ref            text,
    release        text        not null,
    commit_id      text,
    status         text        not null,      -- running | completed | failed | rolled-back
    reason         text,
    failed_host    text,
    failed_step    text,
    actor          text,
    correlation_id text        not null,
    skip_build     boolean     not null default false,
    no_restart     text        not null default '',
    started_at     timestamptz not null,
    heartbeat_at   timestamptz not null,
    ended_at       timestamptz
);
create index deployment_by_target on deployment (application, environment, started_at desc);
create index deployment_running on deployment (status) where status = 'running';

-- Every step on every host, as StepStarted/StepFinished said it.
create table deployment_step (
    seq            bigserial primary key,
    deployment_id  text        not null references deployment (id),
    host           text        not null,
    step           text        not null,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    succeeded      boolean,
    exit_status    integer,
    duration_ms    bigint,
    output_tail    text,
    reason         text
);
create index deployment_step_of on deployment_step (deployment_id, seq);

-- The release log: each release that went live, good until it failed after its switch (then bad, never
-- picked by a rollback); made_current_at says which is live now.
create table release (
    application     text        not null,
    environment     text        not null,
    name            text        not null,
    deployment_id   text        not null references deployment (id),
    ref             text,
    commit_id       text,
    hosts           text        not null,
    deployed_by     text,
    deployed_at     timestamptz not null,
    status          text        not null,     -- good | bad
    bad_reason      text,
    made_current_at timestamptz,
    primary key (application, environment, name)
);

-- The backup a deployment asked for before its migration, and the backup-service's answer.
create table deployment_backup (
    deployment_id  text primary key references deployment (id),
    command_id     text        not null unique,   -- the RunBackup's ce_id: the answer is caused by it
    target         text        not null,
    status         text        not null,          -- asked | completed | failed
    backup_id      text,
    reason         text,
    asked_at       timestamptz not null,
    answered_at    timestamptz
);
