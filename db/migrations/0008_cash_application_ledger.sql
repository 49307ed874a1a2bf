CREATE TABLE "bank_file_profiles" (
	"name" text PRIMARY KEY NOT NULL,
	"profile" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_statement_lines" (
	"statement_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"line_id" text,
	"entry" jsonb NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"payment_id" uuid,
	CONSTRAINT "bank_statement_lines_statement_id_index_pk" PRIMARY KEY("statement_id","index")
);
--> statement-breakpoint
CREATE TABLE "bank_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"version" text NOT NULL,
	"statement_id" text NOT NULL,
	"account" text NOT NULL,
	"file_hash" text NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"lines_total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payer_accounts" (
	"iban" text PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"learned_from" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "write_offs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "write_offs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"invoice_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"payment_id" uuid,
	"actor" text NOT NULL,
	"entry_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "write_offs_amount_nonzero" CHECK ("write_offs"."amount" <> 0)
);
--> statement-breakpoint
ALTER TABLE "allocations" DROP CONSTRAINT "allocations_amount_positive";--> statement-breakpoint
ALTER TABLE "allocations" DROP CONSTRAINT "allocations_payment_id_invoice_id_pk";--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "unapplied_cash" DROP CONSTRAINT "unapplied_cash_pkey";--> statement-breakpoint
ALTER TABLE "unapplied_cash" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
-- Allocations and unapplied cash become append-only ledgers keyed by entry; existing rows get their keys.
ALTER TABLE "allocations" ADD COLUMN "id" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "allocations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "allocations" ADD COLUMN "kind" text NOT NULL DEFAULT 'auto';--> statement-breakpoint
ALTER TABLE "allocations" ADD COLUMN "entry_key" text;--> statement-breakpoint
UPDATE "allocations" SET "entry_key" = 'allocation:' || "payment_id" || ':' || "invoice_id";--> statement-breakpoint
ALTER TABLE "allocations" ALTER COLUMN "entry_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "allocations" ALTER COLUMN "kind" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "source" text NOT NULL DEFAULT 'provider';--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "source" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "value_date" date;--> statement-breakpoint
UPDATE "payments" SET "value_date" = "created_at"::date;--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "value_date" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "remittance" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_name" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_iban" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "end_to_end_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "statement_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "match_status" text NOT NULL DEFAULT 'matched';--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "match_status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "confidence_pct" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "suggestions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "status" text DEFAULT 'received' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reversed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reversal_reason" text;--> statement-breakpoint
ALTER TABLE "unapplied_cash" ADD COLUMN "id" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "unapplied_cash_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "unapplied_cash" ADD COLUMN "kind" text NOT NULL DEFAULT 'received';--> statement-breakpoint
ALTER TABLE "unapplied_cash" ALTER COLUMN "kind" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "unapplied_cash" ADD COLUMN "invoice_id" uuid;--> statement-breakpoint
ALTER TABLE "unapplied_cash" ADD COLUMN "entry_key" text;--> statement-breakpoint
UPDATE "unapplied_cash" SET "entry_key" = 'unapplied:' || "payment_id" || ':received';--> statement-breakpoint
ALTER TABLE "unapplied_cash" ALTER COLUMN "entry_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_statement_id_bank_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."bank_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payer_accounts" ADD CONSTRAINT "payer_accounts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "write_offs" ADD CONSTRAINT "write_offs_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_statements_file_uq" ON "bank_statements" USING btree ("account","statement_id","file_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "write_offs_entry_key_uq" ON "write_offs" USING btree ("entry_key");--> statement-breakpoint
CREATE UNIQUE INDEX "allocations_entry_key_uq" ON "allocations" USING btree ("entry_key");--> statement-breakpoint
CREATE INDEX "allocations_payment_idx" ON "allocations" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payments_exceptions_idx" ON "payments" USING btree ("match_status","created_at");--> statement-breakpoint
CREATE INDEX "payments_end_to_end_idx" ON "payments" USING btree ("end_to_end_id");--> statement-breakpoint
CREATE UNIQUE INDEX "unapplied_cash_entry_key_uq" ON "unapplied_cash" USING btree ("entry_key");--> statement-breakpoint
CREATE INDEX "unapplied_cash_customer_idx" ON "unapplied_cash" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "unapplied_cash_payment_idx" ON "unapplied_cash" USING btree ("payment_id");--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_amount_nonzero" CHECK ("allocations"."amount" <> 0);