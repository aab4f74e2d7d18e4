ALTER TYPE "public"."challenge_purpose" ADD VALUE 'key_edit';--> statement-breakpoint
ALTER TYPE "public"."challenge_purpose" ADD VALUE 'key_deletion';--> statement-breakpoint
CREATE TABLE "key_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"api_key_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"changes" jsonb,
	"widens" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending_confirmation' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "audit_at_idx";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revocation_reason" text;--> statement-breakpoint
ALTER TABLE "key_changes" ADD CONSTRAINT "key_changes_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_changes" ADD CONSTRAINT "key_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_changes" ADD CONSTRAINT "key_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "key_changes_key_idx" ON "key_changes" USING btree ("api_key_id","status");--> statement-breakpoint
CREATE INDEX "accounts_name_prefix_idx" ON "accounts" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "api_keys_created_id_idx" ON "api_keys" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "api_keys_updated_id_idx" ON "api_keys" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "api_keys_last_used_id_idx" ON "api_keys" USING btree ("last_used_at","id");--> statement-breakpoint
CREATE INDEX "api_keys_name_prefix_idx" ON "api_keys" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "api_keys_public_key_prefix_idx" ON "api_keys" USING btree ("public_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_events" USING btree ("actor_user_id","at");--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_events" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_events" USING btree ("at","id");