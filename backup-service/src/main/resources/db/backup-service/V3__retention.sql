-- A backup retention removed: its object is gone, its row stays as history.
alter table backup drop constraint backup_status_check;
alter table backup add constraint backup_status_check check (status in ('running', 'completed', 'failed', 'pruned'));
