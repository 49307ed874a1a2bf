ALTER TABLE "customers" ADD COLUMN "risk_score" integer;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "risk_scored_at" timestamp with time zone;