CREATE TABLE "charge_payments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "charge_payments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"charge_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"kind" text NOT NULL,
	"entry_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "charge_payments_amount_nonzero" CHECK ("charge_payments"."amount" <> 0)
);
--> statement-breakpoint
ALTER TABLE "charge_payments" ADD CONSTRAINT "charge_payments_charge_id_dunning_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."dunning_charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_payments" ADD CONSTRAINT "charge_payments_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "charge_payments_entry_key_uq" ON "charge_payments" USING btree ("entry_key");--> statement-breakpoint
CREATE INDEX "charge_payments_charge_idx" ON "charge_payments" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "charge_payments_payment_idx" ON "charge_payments" USING btree ("payment_id");