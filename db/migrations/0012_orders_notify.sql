-- Order lists are cached beside the balances (lib/ledger/balance-cache.ts): a change to an order,
-- by any writer, announces its account on the same channel as migration 0005's trigger. Most order
-- changes move a balance too; a rejected order or an IOC that expired unfilled moves none.
CREATE TRIGGER orders_changed AFTER INSERT OR UPDATE OR DELETE ON orders
FOR EACH ROW EXECUTE FUNCTION keydesk_notify_balances_changed();
--> statement-breakpoint
CREATE TRIGGER orders_truncated AFTER TRUNCATE ON orders
FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_balances_truncated();
