CREATE TABLE "api_key_addresses" (
	"api_key_id" uuid NOT NULL,
	"address" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"accepted" bigint DEFAULT 0 NOT NULL,
	"refused" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "api_key_addresses_api_key_id_address_pk" PRIMARY KEY("api_key_id","address")
);
--> statement-breakpoint
CREATE TABLE "api_key_refusals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"api_key_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"address" text,
	"action" text NOT NULL,
	"transport" text NOT NULL,
	"reason" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_key_usage_hours" (
	"api_key_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"calls" bigint NOT NULL,
	CONSTRAINT "api_key_usage_hours_api_key_id_hour_action_outcome_pk" PRIMARY KEY("api_key_id","hour","action","outcome")
);
--> statement-breakpoint
CREATE TABLE "api_key_usage_minutes" (
	"api_key_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"calls" integer NOT NULL,
	"rolled_calls" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "api_key_usage_minutes_api_key_id_minute_action_outcome_pk" PRIMARY KEY("api_key_id","minute","action","outcome")
);
--> statement-breakpoint
CREATE TABLE "api_usage_tracking" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_key_addresses" ADD CONSTRAINT "api_key_addresses_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_refusals" ADD CONSTRAINT "api_key_refusals_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_usage_hours" ADD CONSTRAINT "api_key_usage_hours_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_usage_minutes" ADD CONSTRAINT "api_key_usage_minutes_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_key_addresses_last_seen_idx" ON "api_key_addresses" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "api_key_refusals_key_at_idx" ON "api_key_refusals" USING btree ("api_key_id","at");--> statement-breakpoint
CREATE INDEX "api_key_refusals_at_idx" ON "api_key_refusals" USING btree ("at");--> statement-breakpoint
CREATE INDEX "api_key_usage_hours_hour_idx" ON "api_key_usage_hours" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "api_key_usage_minutes_minute_idx" ON "api_key_usage_minutes" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "api_key_usage_minutes_unrolled_idx" ON "api_key_usage_minutes" USING btree ("minute") WHERE "api_key_usage_minutes"."calls" > "api_key_usage_minutes"."rolled_calls";--> statement-breakpoint
INSERT INTO "api_usage_tracking" ("id", "started_at") VALUES (true, now());