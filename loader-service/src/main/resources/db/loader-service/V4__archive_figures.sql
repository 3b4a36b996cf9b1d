-- The archive's size and sha256 as the checker verified them: the loader reads the same bytes or fails.
alter table deposit add column archive_size bigint;
alter table deposit add column archive_sha256 text;
