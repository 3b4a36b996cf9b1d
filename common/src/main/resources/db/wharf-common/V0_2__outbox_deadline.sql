-- Commands carry a deadline (ce_deadline): the instant after which they must not start.
alter table outbox add column ce_deadline timestamptz;
