ALTER TYPE "public"."order_status" ADD VALUE 'EXPIRED';--> statement-breakpoint
ALTER TYPE "public"."order_type" ADD VALUE 'StopLimit';--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "time_in_force" text DEFAULT 'GTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "expire_time" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "stop_price" numeric(38, 18);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "comment" text;--> statement-breakpoint
CREATE INDEX "orders_pair_fills_idx" ON "orders" USING btree ("currency1","currency2","updated_at") WHERE "orders"."executed_ccy1" > 0;--> statement-breakpoint
CREATE INDEX "orders_expiry_idx" ON "orders" USING btree ("expire_time") WHERE "orders"."status" = 'NEW' AND "orders"."expire_time" IS NOT NULL;--> statement-breakpoint
-- Orders placed before this migration: a Market order was always immediate-or-cancel.
UPDATE "orders" SET "time_in_force" = 'IOC' WHERE "type" = 'Market';
