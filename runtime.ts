import { loadEnv, requireEnv, type Env } from './config.js';
import type { ActivityDeps } from './activities/index.js';
import type { ApiDeps } from './api/app.js';
import type { Client } from '@temporalio/client';
import type { Db } from './db/client.js';
import { DEFAULT_MATCH_POLICY, type MatchPolicy } from './domain/cash-matching.js';
import { DEFAULT_DUNNING_POLICY, validateDunningPolicy } from './domain/dunning.js';
import { parseIsoDuration } from './domain/durations.js';
import { createHttpCollectionAgency } from './integrations/collection-agency.js';
import { createHttpCreditBureau } from './integrations/credit-bureau.js';
import { createSmtpMailer } from './integrations/mail.js';
import { createHttpPeppolAccessPoint } from './integrations/peppol-access-point.js';
import { createHttpWarehouse } from './integrations/warehouse.js';

export { loadEnv };

/** DUNNING_POLICY, validated; absent when unset (each segment's built-in policy applies). */
const configuredDunningPolicy = (env: Env) =>
  env.DUNNING_POLICY ? validateDunningPolicy(JSON.parse(env.DUNNING_POLICY)) : undefined;

/** Order policy from configuration, validated at start-up so a bad DUNNING_POLICY stops the process, not an order. */
export function orderPolicy(env: Env): ApiDeps['orderPolicy'] {
  return {
    creditHoldTimeoutMs: parseIsoDuration(env.CREDIT_HOLD_TIMEOUT),
    creditHoldEscalationMs: parseIsoDuration(env.CREDIT_HOLD_ESCALATE_AFTER),
    creditHoldExpiryAction: env.CREDIT_HOLD_EXPIRY_ACTION,
    shipmentStuckAfterMs: parseIsoDuration(env.SHIPMENT_STUCK_AFTER),
    prepaymentExpiryMs: parseIsoDuration(env.PREPAYMENT_EXPIRY),
    dunningPolicy: configuredDunningPolicy(env) ?? DEFAULT_DUNNING_POLICY,
  };
}

/** When cash is applied without a person, and which short payments settle an invoice. */
export function matchPolicy(env: Env): MatchPolicy {
  return {
    ...DEFAULT_MATCH_POLICY,
    autoApplyThreshold: env.CASH_AUTO_APPLY_THRESHOLD,
    shortTolerance: { absolute: env.CASH_SHORT_TOLERANCE, percentBp: env.CASH_SHORT_TOLERANCE_BP },
  };
}

export function activityDeps(env: Env, db: Db): ActivityDeps {
  return {
    db,
    cashApplication: { matchPolicy: matchPolicy(env) },
    collections: {
      dunningRunEveryMs: parseIsoDuration(env.DUNNING_RUN_EVERY),
      businessDays: env.DUNNING_BUSINESS_DAYS,
      ...(env.DUNNING_POLICY ? { configuredPolicy: configuredDunningPolicy(env) } : {}),
    },
    mailer: createSmtpMailer(requireEnv(env, 'SMTP_URL'), env.MAIL_FROM),
    warehouse: createHttpWarehouse(requireEnv(env, 'WAREHOUSE_URL')),
    invoicing: { defaultLegalEntity: env.DEFAULT_LEGAL_ENTITY },
    creditControl: {
      escalationEmail: env.CREDIT_ESCALATION_EMAIL,
      holdTime: env.CREDIT_HOLD_TIMEOUT,
      policy: {
        overdueToleranceDays: env.CREDIT_OVERDUE_TOLERANCE_DAYS,
        holdRiskClasses: env.CREDIT_HOLD_RISK_CLASSES,
        newCustomerMaxOrderPercentOfLimit: env.CREDIT_NEW_CUSTOMER_MAX_PERCENT,
        rejectAbovePercentOfLimit: env.CREDIT_HARD_LIMIT_PERCENT,
      },
    },
    ...(env.CREDIT_BUREAU_URL
      ? { creditBureau: createHttpCreditBureau(env.CREDIT_BUREAU_URL, { apiKey: env.CREDIT_BUREAU_API_KEY }) }
      : {}),
    ...(env.PEPPOL_AP_URL
      ? { peppol: createHttpPeppolAccessPoint(env.PEPPOL_AP_URL, { apiKey: env.PEPPOL_AP_API_KEY }) }
      : {}),
    ...(env.AGENCY_URL ? { agency: createHttpCollectionAgency(env.AGENCY_URL, env.AGENCY_API_KEY) } : {}),
  };
}

export function apiDeps(env: Env, db: Db, temporal: Client): ApiDeps {
  return {
    db,
    temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    orderPolicy: orderPolicy(env),
    invoicing: { defaultLegalEntity: env.DEFAULT_LEGAL_ENTITY },
    paymentProviders: env.PAYMENT_PROVIDER_SECRETS,
    bankFileLimitBytes: env.BANK_FILE_MAX_BYTES,
    cashApplication: { matchPolicy: matchPolicy(env) },
    collections: {
      disputeSla: env.DISPUTE_SLA,
      disputeOwner: env.DISPUTE_OWNER,
      promiseGrace: env.PROMISE_GRACE,
      writeOffApprovalAbove: env.WRITE_OFF_APPROVAL_ABOVE,
      agencyWebhookSecrets: env.AGENCY_WEBHOOK_SECRETS,
    },
    console: {
      ...(env.TEMPORAL_UI_URL ? { temporalUiUrl: env.TEMPORAL_UI_URL } : {}),
      temporalNamespace: env.TEMPORAL_NAMESPACE,
    },
  };
}
