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
ALTER TABLE "customers" ADD COLUMN "segment" text DEFAULT 'small_business' NOT NULL;--> statement-breakpoint
ALTER TABLE "dunning_policies" ADD CONSTRAINT "dunning_policies_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dunning_policies_segment_uq" ON "dunning_policies" USING btree ("segment");--> statement-breakpoint
CREATE UNIQUE INDEX "dunning_policies_customer_uq" ON "dunning_policies" USING btree ("customer_id");