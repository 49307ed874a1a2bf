CREATE TABLE "collection_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"case_file" jsonb NOT NULL,
	"status" text NOT NULL,
	"agency_reference" text,
	"handed_over_at" timestamp with time zone,
	"outcome" text,
	"outcome_note" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dunning_charges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"legal_entity" text NOT NULL,
	"level" integer NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"basis" jsonb NOT NULL,
	"posted_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"waived_by" text,
	"waived_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_charges_amount_positive" CHECK ("dunning_charges"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "kind" text DEFAULT 'business' NOT NULL;--> statement-breakpoint
ALTER TABLE "dunning_letters" ADD COLUMN "template" text;--> statement-breakpoint
ALTER TABLE "dunning_letters" ADD COLUMN "next_template" text;--> statement-breakpoint
ALTER TABLE "collection_cases" ADD CONSTRAINT "collection_cases_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_cases" ADD CONSTRAINT "collection_cases_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_charges" ADD CONSTRAINT "dunning_charges_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_charges" ADD CONSTRAINT "dunning_charges_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collection_cases_invoice_uq" ON "collection_cases" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "collection_cases_customer_idx" ON "collection_cases" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dunning_charges_level_uq" ON "dunning_charges" USING btree ("invoice_id","level","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "dunning_charges_once_uq" ON "dunning_charges" USING btree ("invoice_id","kind") WHERE "dunning_charges"."kind" in ('compensation', 'collection_costs');--> statement-breakpoint
CREATE INDEX "dunning_charges_customer_idx" ON "dunning_charges" USING btree ("customer_id","status");