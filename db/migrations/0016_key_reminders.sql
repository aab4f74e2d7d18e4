ALTER TYPE "public"."challenge_purpose" ADD VALUE 'notification_email';--> statement-breakpoint
CREATE TABLE "key_reminders" (
	"api_key_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_for" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_reminders_api_key_id_kind_due_for_pk" PRIMARY KEY("api_key_id","kind","due_for")
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"reminders_enabled" boolean DEFAULT true NOT NULL,
	"second_email" text,
	"second_email_confirmed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "key_reminders" ADD CONSTRAINT "key_reminders_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_expires_idx" ON "api_keys" USING btree ("expires_at") WHERE "api_keys"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "api_keys_never_activated_idx" ON "api_keys" USING btree ("created_at") WHERE "api_keys"."activated_at" is null;