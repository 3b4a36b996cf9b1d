-- Depositing clients and their collections, as Software Heritage's deposit service keeps them.
create table client (
    username     text primary key,
    provider_url text        not null,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);

create table collection (
    name       text primary key,
    created_at timestamptz not null default now()
);

create table client_collection (
    username   text not null references client (username),
    collection text not null references collection (name),
    primary key (username, collection)
);
