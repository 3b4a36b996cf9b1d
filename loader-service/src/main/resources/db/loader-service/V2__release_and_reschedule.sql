-- What the release is built from, and the identifiers of the loaded graph.
alter table deposit add column client text, add column collection text, add column software_version text,
    add column release_date text, add column received_at timestamptz, add column version text,
    add column release text, add column snapshot text;

-- A rescheduled deposit is 'verified' again in the loader until its load starts.
alter table deposit drop constraint deposit_status_check;
alter table deposit add constraint deposit_status_check check (status in ('verified', 'loading', 'done', 'failed'));
alter table deposit alter column loading_event_id drop not null;
