// Workflow ids are business keys and carry no personal data. Imported by workflow code: keep it pure.
export const orderWorkflowId = (orderId: string) => `order:${orderId}`;
export const invoiceWorkflowId = (invoiceId: string) => `invoice:${invoiceId}`;
export const shipmentWorkflowId = (shipmentId: string) => `shipment:${shipmentId}`;
