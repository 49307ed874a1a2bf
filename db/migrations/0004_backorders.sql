CREATE TABLE "backorders" (
	"order_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backorders_order_id_sku_pk" PRIMARY KEY("order_id","sku"),
	CONSTRAINT "backorders_quantity_positive" CHECK ("backorders"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_receipts" (
	"receipt_id" text PRIMARY KEY NOT NULL,
	"warehouse_code" text NOT NULL,
	"lines" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD COLUMN "batch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD COLUMN "shipment_id" uuid;--> statement-breakpoint
-- Reservations made before this migration belong to the one shipment of their order and warehouse.
UPDATE "stock_reservations" r SET "shipment_id" = s."id" FROM "shipments" s
  WHERE s."order_id" = r."order_id" AND s."warehouse_code" = r."warehouse_code" AND r."shipment_id" IS NULL;--> statement-breakpoint
ALTER TABLE "stock_reservations" DROP CONSTRAINT "stock_reservations_order_id_sku_warehouse_code_pk";--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_order_id_sku_warehouse_code_batch_pk" PRIMARY KEY("order_id","sku","warehouse_code","batch");--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "shipping_policy" text DEFAULT 'ship_partial' NOT NULL;--> statement-breakpoint
ALTER TABLE "backorders" ADD CONSTRAINT "backorders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backorders" ADD CONSTRAINT "backorders_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_receipts" ADD CONSTRAINT "stock_receipts_warehouse_code_warehouses_code_fk" FOREIGN KEY ("warehouse_code") REFERENCES "public"."warehouses"("code") ON DELETE no action ON UPDATE no action;