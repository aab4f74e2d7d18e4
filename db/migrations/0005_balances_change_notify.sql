-- Every change to a trading balance, by any writer in any process, announces the account on
-- commit: API processes keep balances in memory (lib/ledger/balance-cache.ts) and drop an
-- account's copy when this arrives. PostgreSQL folds repeats of one payload in a transaction.
CREATE FUNCTION keydesk_notify_balances_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('keydesk_balances_changed', OLD.account_id::text);
  ELSE
    PERFORM pg_notify('keydesk_balances_changed', NEW.account_id::text);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.account_id IS DISTINCT FROM NEW.account_id THEN
    PERFORM pg_notify('keydesk_balances_changed', OLD.account_id::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER balances_changed AFTER INSERT OR UPDATE OR DELETE ON balances
FOR EACH ROW EXECUTE FUNCTION keydesk_notify_balances_changed();
--> statement-breakpoint
-- TRUNCATE has no rows to name: it announces every account at once.
CREATE FUNCTION keydesk_notify_balances_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keydesk_balances_changed', '*');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER balances_truncated AFTER TRUNCATE ON balances
FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_balances_truncated();
