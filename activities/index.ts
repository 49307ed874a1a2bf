import { createCashApplicationActivities } from './cash-application.js';
import { createCollectionsActivities } from './collections.js';
import { createCreditControlActivities } from './credit-control.js';
import { createCreditReviewActivities } from './credit-review.js';
import type { ActivityDeps } from './deps.js';
import { createFulfilmentActivities } from './fulfilment.js';
import { createDocumentDeliveryActivities } from './document-delivery.js';
import { createInvoicingActivities } from './invoicing.js';
import { createNotificationActivities } from './notifications.js';
import { createOrderActivities } from './orders.js';

export type { ActivityDeps } from './deps.js';

/** All activities the worker registers; workflows proxy them by this type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createCreditControlActivities(deps),
    ...createCreditReviewActivities(deps),
    ...createFulfilmentActivities(deps),
    ...createInvoicingActivities(deps),
    ...createDocumentDeliveryActivities(deps),
    ...createCollectionsActivities(deps),
    ...createCashApplicationActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
