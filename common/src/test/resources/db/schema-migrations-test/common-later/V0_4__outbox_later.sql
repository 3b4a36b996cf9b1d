-- A common migration written after the service reached V2: it must still apply, in order.
alter table outbox add column later text;
