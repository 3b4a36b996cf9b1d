-- What the last verification of a backup found.
alter table backup add column verified_at timestamptz, add column verify_problem text, add column verified_row_counts jsonb;
