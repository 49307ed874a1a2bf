ALTER TABLE "customers" ADD COLUMN "risk_class" text DEFAULT 'medium' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "credit_blocked" boolean DEFAULT false NOT NULL;