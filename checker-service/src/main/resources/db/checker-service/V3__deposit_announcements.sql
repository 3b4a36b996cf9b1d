-- Each deposit's announcement (its DepositReceived payload) as received, so that CheckDeposit judges it
-- again as it came; 'deposited' from its arrival until its verdict (also when no verdict could be given).
alter table deposit add column received jsonb;
alter table deposit drop constraint deposit_status_check;
alter table deposit add constraint deposit_status_check check (status in ('deposited', 'verified', 'rejected'));
