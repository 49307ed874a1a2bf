/** When an order is invoiced: each shipment as it leaves (what was shipped, the default), or all of it at order time. */
export const INVOICING_POLICIES = ['on_shipment', 'on_order'] as const;
export type InvoicingPolicy = (typeof INVOICING_POLICIES)[number];
