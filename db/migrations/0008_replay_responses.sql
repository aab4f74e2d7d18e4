ALTER TABLE "api_replay_guard" ADD COLUMN "response_status" integer;--> statement-breakpoint
ALTER TABLE "api_replay_guard" ADD COLUMN "response_body" text;