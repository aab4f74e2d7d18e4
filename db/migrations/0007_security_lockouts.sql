ALTER TYPE "public"."challenge_purpose" ADD VALUE 'admin_step_up';--> statement-breakpoint
ALTER TABLE "challenges" ADD COLUMN "send_held_back" text;--> statement-breakpoint
ALTER TABLE "challenges" ADD COLUMN "send_blocked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "second_factor_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "second_factor_blocked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "second_factor_locked_at" timestamp with time zone;