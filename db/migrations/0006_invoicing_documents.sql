CREATE TABLE "invoice_deliveries" (
	"invoice_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"recipient" text NOT NULL,
	"provider_id" text,
	"failure_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_deliveries_invoice_id_channel_pk" PRIMARY KEY("invoice_id","channel")
);
--> statement-breakpoint
CREATE TABLE "invoice_files" (
	"invoice_id" uuid NOT NULL,
	"format" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_files_invoice_id_format_pk" PRIMARY KEY("invoice_id","format")
);
--> statement-breakpoint
CREATE TABLE "legal_entities" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"country" text NOT NULL,
	"vat_id" text NOT NULL,
	"legal_id" text,
	"legal_id_scheme" text,
	"tax_registration" text,
	"street" text NOT NULL,
	"city" text NOT NULL,
	"postal_code" text NOT NULL,
	"peppol_id" text NOT NULL,
	"peppol_scheme" text NOT NULL,
	"iban" text NOT NULL,
	"bic" text,
	"payment_reference_scheme" text NOT NULL,
	"invoice_prefix" text NOT NULL,
	"credit_note_prefix" text NOT NULL,
	"reference_no" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "price_list_prices" (
	"price_list_id" text NOT NULL,
	"sku" text NOT NULL,
	"min_quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	CONSTRAINT "price_list_prices_price_list_id_sku_min_quantity_pk" PRIMARY KEY("price_list_id","sku","min_quantity"),
	CONSTRAINT "price_list_prices_min_quantity_positive" CHECK ("price_list_prices"."min_quantity" > 0),
	CONSTRAINT "price_list_prices_unit_price_non_negative" CHECK ("price_list_prices"."unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "payment_reference" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "legal_entity" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "vat_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "street" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "city" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "postal_code" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "peppol_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "peppol_scheme" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "invoice_channel" text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "buyer_reference" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "price_list_id" text;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "vat_category" text;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "vat_rate_bp" integer;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "type" text DEFAULT 'invoice' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "legal_entity" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "corrects_invoice_id" uuid;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "net_total" bigint;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "vat_total" bigint;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "document" jsonb;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "discount_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "invoicing" text DEFAULT 'on_shipment' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "vat_rate" text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "supply" text DEFAULT 'goods' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_deliveries" ADD CONSTRAINT "invoice_deliveries_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_files" ADD CONSTRAINT "invoice_files_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_prices" ADD CONSTRAINT "price_list_prices_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "legal_entities_reference_no_uq" ON "legal_entities" USING btree ("reference_no");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_legal_entity_legal_entities_code_fk" FOREIGN KEY ("legal_entity") REFERENCES "public"."legal_entities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE no action ON UPDATE no action;