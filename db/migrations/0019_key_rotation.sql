ALTER TYPE "public"."challenge_purpose" ADD VALUE 'key_rotation';--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_secret_enc" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "key_changes" ADD COLUMN "grace_seconds" integer;--> statement-breakpoint
ALTER TABLE "key_changes" ADD COLUMN "secret_revealed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "api_keys_previous_secret_idx" ON "api_keys" USING btree ("previous_secret_expires_at") WHERE "api_keys"."previous_secret_expires_at" is not null;