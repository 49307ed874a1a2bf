-- Number series per legal entity, kind and year: the kind of each existing series from its entity's prefixes.
ALTER TABLE "invoice_series" ADD COLUMN "kind" text;--> statement-breakpoint
UPDATE "invoice_series" s SET "kind" = CASE WHEN s."prefix" = e."credit_note_prefix" THEN 'credit_note' ELSE 'invoice' END
  FROM "legal_entities" e WHERE e."code" = s."legal_entity";--> statement-breakpoint
UPDATE "invoice_series" SET "kind" = 'invoice' WHERE "kind" IS NULL;--> statement-breakpoint
-- A prefix changed mid-year left two series of one entity, kind and year: keep the one that numbered furthest.
DELETE FROM "invoice_series" a USING "invoice_series" b
  WHERE a."legal_entity" = b."legal_entity" AND a."kind" = b."kind" AND a."year" = b."year"
    AND (a."last_number", a."series") < (b."last_number", b."series");--> statement-breakpoint
ALTER TABLE "invoice_series" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_series" DROP CONSTRAINT "invoice_series_series_year_pk";--> statement-breakpoint
ALTER TABLE "invoice_series" ADD CONSTRAINT "invoice_series_legal_entity_kind_year_pk" PRIMARY KEY("legal_entity","kind","year");--> statement-breakpoint
ALTER TABLE "invoice_series" ADD CONSTRAINT "invoice_series_legal_entity_legal_entities_code_fk" FOREIGN KEY ("legal_entity") REFERENCES "public"."legal_entities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_series" DROP COLUMN "series";--> statement-breakpoint
-- Each entity's books keep the time of its country.
ALTER TABLE "legal_entities" ADD COLUMN "time_zone" text;--> statement-breakpoint
UPDATE "legal_entities" SET "time_zone" = CASE "country" WHEN 'NO' THEN 'Europe/Oslo' WHEN 'BE' THEN 'Europe/Brussels'
  WHEN 'DE' THEN 'Europe/Berlin' ELSE 'Europe/Amsterdam' END;--> statement-breakpoint
ALTER TABLE "legal_entities" ALTER COLUMN "time_zone" SET NOT NULL;--> statement-breakpoint
-- A risk class finance set holds; the review's own classes are marked as such.
ALTER TABLE "customers" ADD COLUMN "risk_class_set_by" text DEFAULT 'review' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "risk_class_until" date;--> statement-breakpoint
-- Exposure on one basis, VAT included. Lines of orders priced before it are valued at their net.
ALTER TABLE "order_lines" ADD COLUMN "total_with_vat" bigint;--> statement-breakpoint
UPDATE "order_lines" SET "total_with_vat" = "line_total";--> statement-breakpoint
ALTER TABLE "order_lines" ALTER COLUMN "total_with_vat" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "credit_approved_at" timestamp with time zone;--> statement-breakpoint
UPDATE "orders" SET "credit_approved_at" = "created_at"
  WHERE "credit_decision"->>'outcome' = 'approve'
     OR "credit_decision"->'manual'->>'decision' IN ('approve', 'require_prepayment');
--> statement-breakpoint
-- The series of a document is its entity, kind and issue year: no column of its own.
ALTER TABLE "invoices" DROP COLUMN "series";
