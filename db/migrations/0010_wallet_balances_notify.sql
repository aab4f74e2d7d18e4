-- The wallet is cached beside the trading balances (lib/ledger/balance-cache.ts): a change to it,
-- by any writer, announces the account on the same channel as migration 0005's trigger.
CREATE TRIGGER wallet_balances_changed AFTER INSERT OR UPDATE OR DELETE ON wallet_balances
FOR EACH ROW EXECUTE FUNCTION keydesk_notify_balances_changed();
--> statement-breakpoint
CREATE TRIGGER wallet_balances_truncated AFTER TRUNCATE ON wallet_balances
FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_balances_truncated();
