import type { Db } from '../db/client.js';
import type { CreditPolicy } from '../domain/credit.js';
import type { CreditBureau } from '../integrations/credit-bureau.js';
import type { Mailer } from '../integrations/mail.js';
import type { Warehouse } from '../integrations/warehouse.js';

/** What activities need from the outside world; built once per worker process. */
export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  warehouse: Warehouse;
  invoicing: { series: string; legalEntity: string };
  /** Who is reminded of undecided credit holds, and the hold time quoted in the audit log. */
  creditControl: { escalationEmail: string; holdTime: string; policy: CreditPolicy };
  /** Optional: without a bureau, risk scores use our own payment history only. */
  creditBureau?: CreditBureau;
}
