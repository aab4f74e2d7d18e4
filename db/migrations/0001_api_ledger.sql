CREATE TYPE "public"."order_side" AS ENUM('BUY', 'SELL');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('NEW', 'FILLED', 'CANCELLED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "public"."order_type" AS ENUM('Market', 'Limit');--> statement-breakpoint
CREATE TABLE "api_rate_windows" (
	"api_key_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "api_rate_windows_api_key_id_window_start_pk" PRIMARY KEY("api_key_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "api_replay_guard" (
	"signature" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "balances" (
	"account_id" uuid NOT NULL,
	"sub_account" text DEFAULT '' NOT NULL,
	"currency" text NOT NULL,
	"available" numeric(38, 18) DEFAULT '0' NOT NULL,
	"on_hold" numeric(38, 18) DEFAULT '0' NOT NULL,
	CONSTRAINT "balances_account_id_sub_account_currency_pk" PRIMARY KEY("account_id","sub_account","currency"),
	CONSTRAINT "balances_non_negative" CHECK ("balances"."available" >= 0 and "balances"."on_hold" >= 0)
);
--> statement-breakpoint
CREATE TABLE "fundings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fundings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"sub_account" text NOT NULL,
	"type" text NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric(38, 18) NOT NULL,
	"counterparty" text,
	"status" text NOT NULL,
	"client_tx_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"sub_account" text NOT NULL,
	"api_key_id" uuid,
	"client_order_id" text NOT NULL,
	"currency1" text NOT NULL,
	"currency2" text NOT NULL,
	"side" "order_side" NOT NULL,
	"type" "order_type" NOT NULL,
	"status" "order_status" NOT NULL,
	"amount_ccy1" numeric(38, 18),
	"amount_ccy2" numeric(38, 18),
	"price" numeric(38, 18),
	"executed_ccy1" numeric(38, 18) DEFAULT '0' NOT NULL,
	"executed_ccy2" numeric(38, 18) DEFAULT '0' NOT NULL,
	"average_price" numeric(38, 18),
	"held_currency" text,
	"held_amount" numeric(38, 18) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"sub_account" text NOT NULL,
	"type" text NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric(38, 18) NOT NULL,
	"order_id" bigint,
	"client_tx_id" text,
	"details" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_balances" (
	"account_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric(38, 18) DEFAULT '0' NOT NULL,
	CONSTRAINT "wallet_balances_account_id_currency_pk" PRIMARY KEY("account_id","currency"),
	CONSTRAINT "wallet_non_negative" CHECK ("wallet_balances"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "suspension_reason" text;--> statement-breakpoint
ALTER TABLE "balances" ADD CONSTRAINT "balances_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fundings" ADD CONSTRAINT "fundings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_balances" ADD CONSTRAINT "wallet_balances_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_replay_expires_idx" ON "api_replay_guard" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fundings_client_tx_uq" ON "fundings" USING btree ("account_id","client_tx_id");--> statement-breakpoint
CREATE INDEX "fundings_account_idx" ON "fundings" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_client_id_uq" ON "orders" USING btree ("account_id","client_order_id");--> statement-breakpoint
CREATE INDEX "orders_account_status_idx" ON "orders" USING btree ("account_id","status","created_at");--> statement-breakpoint
CREATE INDEX "transactions_account_idx" ON "transactions" USING btree ("account_id","created_at");