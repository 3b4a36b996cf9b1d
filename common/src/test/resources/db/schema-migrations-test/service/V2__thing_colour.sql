alter table things add column colour text;
