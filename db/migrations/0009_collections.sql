CREATE TABLE "collection_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"legal_entity" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"level" integer NOT NULL,
	"level_name" text NOT NULL,
	"items" jsonb NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"note" text,
	"completed_by" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"reason_code" text NOT NULL,
	"amount" bigint NOT NULL,
	"lines" jsonb,
	"currency" text NOT NULL,
	"note" text NOT NULL,
	"owner" text NOT NULL,
	"status" text NOT NULL,
	"resolution" text,
	"resolution_note" text,
	"credit_note_id" uuid,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"sla_due_at" timestamp with time zone NOT NULL,
	"resolved_by" text,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dunning_letters" (
	"customer_id" uuid NOT NULL,
	"legal_entity" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"level" integer NOT NULL,
	"level_name" text NOT NULL,
	"channel" text DEFAULT 'email' NOT NULL,
	"next_level_name" text,
	"items" jsonb NOT NULL,
	"pay_by" date NOT NULL,
	"sent_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_letters_customer_id_legal_entity_run_at_pk" PRIMARY KEY("customer_id","legal_entity","run_at")
);
--> statement-breakpoint
CREATE TABLE "dunning_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"segment" text,
	"customer_id" uuid,
	"levels" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_policies_one_target" CHECK (("dunning_policies"."segment" is null) <> ("dunning_policies"."customer_id" is null))
);
--> statement-breakpoint
CREATE TABLE "payment_promises" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"promised_date" date NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"note" text NOT NULL,
	"wait_until" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "write_off_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"vat_amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" text NOT NULL,
	"approved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "segment" text DEFAULT 'small_business' NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_letters" ADD CONSTRAINT "dunning_letters_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_policies" ADD CONSTRAINT "dunning_policies_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_promises" ADD CONSTRAINT "payment_promises_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_promises" ADD CONSTRAINT "payment_promises_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "write_off_requests" ADD CONSTRAINT "write_off_requests_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collection_tasks_run_uq" ON "collection_tasks" USING btree ("customer_id","legal_entity","run_at");--> statement-breakpoint
CREATE INDEX "collection_tasks_status_idx" ON "collection_tasks" USING btree ("status");--> statement-breakpoint
CREATE INDEX "disputes_status_idx" ON "disputes" USING btree ("status","owner");--> statement-breakpoint
CREATE INDEX "disputes_invoice_idx" ON "disputes" USING btree ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dunning_policies_segment_uq" ON "dunning_policies" USING btree ("segment");--> statement-breakpoint
CREATE UNIQUE INDEX "dunning_policies_customer_uq" ON "dunning_policies" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "payment_promises_invoice_idx" ON "payment_promises" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "write_off_requests_status_idx" ON "write_off_requests" USING btree ("status");