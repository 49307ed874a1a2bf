// Workflow ids are business keys and carry no personal data. Imported by workflow code: keep it pure.
export const orderWorkflowId = (orderId: string) => `order:${orderId}`;
export const invoiceWorkflowId = (invoiceId: string) => `invoice:${invoiceId}`;
/** Delivery of an invoice's or credit note's documents to the customer. */
export const documentWorkflowId = (invoiceId: string) => `document:${invoiceId}`;
/** A customer's account: consolidated dunning runs over all of its invoices. */
export const customerAccountWorkflowId = (customerId: string) => `customer-account:${customerId}`;
export const shipmentWorkflowId = (shipmentId: string) => `shipment:${shipmentId}`;
export const bankStatementWorkflowId = (statementId: string) => `bank-statement:${statementId}`;

/**
 * Bank files are applied on a task queue of their own: on the engine's queue a file's few workflow tasks waited
 * behind the thousands of receivables its own signals woke.
 */
export const cashApplicationTaskQueue = (taskQueue: string) => `${taskQueue}-cash-application`;
