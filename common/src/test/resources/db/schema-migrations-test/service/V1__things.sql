create table things (id bigint primary key, name text not null);
