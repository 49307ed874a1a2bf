import type { Db } from '../db/client.js';
import type { MatchPolicy } from '../domain/cash-matching.js';
import type { CreditPolicy } from '../domain/credit-control.js';
import type { DunningPolicy } from '../domain/dunning.js';
import type { CollectionAgency } from '../integrations/collection-agency.js';
import type { CreditBureau } from '../integrations/credit-bureau.js';
import type { Mailer } from '../integrations/mail.js';
import type { PeppolAccessPoint } from '../integrations/peppol-access-point.js';
import type { Warehouse } from '../integrations/warehouse.js';

/** What activities need from the outside world; built once per worker process. */
export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  warehouse: Warehouse;
  /** The seller legal entity of customers that name none (see PUT /v1/legal-entities). */
  invoicing: { defaultLegalEntity: string };
  /** Optional: without an access point, customers on the peppol channel cannot be served. */
  peppol?: PeppolAccessPoint;
  /** Who is reminded of undecided credit holds, and the hold time quoted in the audit log. */
  creditControl: { escalationEmail: string; holdTime: string; policy: CreditPolicy };
  /**
   * How often each customer's dunning run is held (a day: one letter per customer per day at most), and the
   * DUNNING_POLICY configured for customers without a stored policy (absent: the segment's built-in one).
   */
  collections: {
    dunningRunEveryMs: number;
    configuredPolicy?: DunningPolicy;
    /** Daily runs are held on the seller country's business days only (DUNNING_BUSINESS_DAYS). */
    businessDays?: boolean;
  };
  /** When the matcher applies cash by itself, and the short payments it settles. */
  cashApplication: { matchPolicy: MatchPolicy };
  /** Optional: without an agency, a level on the agency channel waits for a person (needs_attention). */
  agency?: CollectionAgency;
  /** Optional: without a bureau, risk scores use our own payment history only. */
  creditBureau?: CreditBureau;
}
