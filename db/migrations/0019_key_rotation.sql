ALTER TYPE "public"."challenge_purpose" ADD VALUE 'key_rotation';--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_secret_enc" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "key_changes" ADD COLUMN "grace_seconds" integer;--> statement-breakpoint
ALTER TABLE "key_changes" ADD COLUMN "secret_revealed_at" timestamp with time zone;