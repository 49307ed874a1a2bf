CREATE TABLE "dunning_letters" (
	"customer_id" uuid NOT NULL,
	"legal_entity" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"level" integer NOT NULL,
	"level_name" text NOT NULL,
	"next_level_name" text,
	"items" jsonb NOT NULL,
	"pay_by" date NOT NULL,
	"sent_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_letters_customer_id_legal_entity_run_at_pk" PRIMARY KEY("customer_id","legal_entity","run_at")
);
--> statement-breakpoint
ALTER TABLE "dunning_letters" ADD CONSTRAINT "dunning_letters_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;