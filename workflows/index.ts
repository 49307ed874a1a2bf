// The worker bundles this file: every workflow the task queue runs is exported here.
export { orderWorkflow } from './order/index.js';
export { invoiceWorkflow } from './invoice.js';
export { customerAccountWorkflow } from './customer-account.js';
export { creditReviewWorkflow } from './credit-review.js';
export { shipmentWorkflow } from './shipment.js';
export { documentDeliveryWorkflow } from './document-delivery.js';
export { cashApplicationWorkflow } from './bank-statement.js';
