-- The archive: objects in the bucket, where each content lies, and the Software Heritage graph.

-- An object is claimed ('uploading', by one deposit's load) before it is uploaded and marked 'stored'
-- after; a load that restarts removes its unfinished claims and their objects, so the bucket never
-- keeps an object the schema does not know.
create table archive_object (
    key        text primary key,
    deposit_id text        not null,
    state      text        not null check (state in ('uploading', 'stored')),
    size       bigint      not null,
    created_at timestamptz not null default now()
);
create index archive_object_unfinished on archive_object (deposit_id) where state = 'uploading';

-- A content (git blob id) is one byte range of one object: a pack of small contents, or its own object.
create table content (
    sha1_git      bytea  primary key,
    length        bigint not null,
    object_key    text   not null references archive_object (key) on delete cascade,
    object_offset bigint not null
);
create index content_object on content (object_key);

-- Contents hashed but not stored (too large), as Software Heritage's skipped_content.
create table skipped_content (
    sha1_git   bytea primary key,
    length     bigint      not null,
    reason     text        not null,
    created_at timestamptz not null default now()
);

create table directory (
    id bytea primary key
);
-- type 'file' (contents, perms 100644/100755/120000) or 'dir' (perms 40000); target a blob or tree id
create table directory_entry (
    directory bytea not null references directory (id),
    name      bytea not null,
    type      text  not null check (type in ('file', 'dir')),
    perms     int   not null,
    target    bytea not null,
    primary key (directory, name)
);

create table release (
    id                  bytea primary key,
    name                bytea not null,
    message             bytea,
    author              bytea,
    date                timestamptz,
    date_offset_minutes int,
    target              bytea not null,
    target_type         text  not null,
    -- the git tag object's body: the id is sha1("tag <length>\0" + manifest)
    manifest            bytea not null
);

create table snapshot (
    id bytea primary key
);
create table snapshot_branch (
    snapshot    bytea not null references snapshot (id),
    name        bytea not null,
    target_type text  not null,
    target      bytea not null,
    primary key (snapshot, name)
);

create table origin (
    url        text primary key,
    created_at timestamptz not null default now()
);
create table origin_visit (
    origin     text        not null references origin (url),
    visit      int         not null,
    type       text        not null,
    date       timestamptz not null,
    status     text        not null,
    snapshot   bytea       references snapshot (id),
    deposit_id text,
    primary key (origin, visit)
);

alter table deposit add column visit int;
