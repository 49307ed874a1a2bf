import { createCollectionsActivities } from './collections.js';
import { createCreditActivities } from './credit.js';
import { createCreditReviewActivities } from './credit-review.js';
import type { ActivityDeps } from './deps.js';
import { createFulfilmentActivities } from './fulfilment.js';
import { createDocumentActivities } from './documents.js';
import { createInvoicingActivities } from './invoicing.js';
import { createNotificationActivities } from './notifications.js';
import { createOrderActivities } from './orders.js';

export type { ActivityDeps } from './deps.js';

/** All activities the worker registers; workflows proxy them by this type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createCreditActivities(deps),
    ...createCreditReviewActivities(deps),
    ...createFulfilmentActivities(deps),
    ...createInvoicingActivities(deps),
    ...createDocumentActivities(deps),
    ...createCollectionsActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
