DROP INDEX "api_keys_name_prefix_idx";--> statement-breakpoint
CREATE INDEX "api_keys_name_prefix_idx" ON "api_keys" USING btree (lower("name") text_pattern_ops,"name","id");