ALTER TABLE "orders" ADD COLUMN "reject_code" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "reject_reason" text;