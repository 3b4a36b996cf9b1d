-- A record the broker refused for good (too large, invalid) is parked with the reason instead of
-- blocking the records behind it. See them with: select * from outbox where parked_at is not null;
alter table outbox add column parked_at timestamptz;
alter table outbox add column park_reason text;
