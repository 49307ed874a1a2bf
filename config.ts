import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_MATCH_POLICY } from './domain/cash-matching.js';
import { DEFAULT_CREDIT_POLICY, RISK_CLASSES } from './domain/credit-control.js';
import { parseIsoDuration } from './domain/durations.js';
import { CREDIT_HOLD_EXPIRY_ACTIONS } from './domain/order-status.js';
import { DEFAULT_DISPUTE_SLA, DEFAULT_WRITE_OFF_APPROVAL_ABOVE, DISPUTE_REASONS } from './domain/collections.js';
import { SUPPORTED_CURRENCIES } from './domain/currency.js';

/** An ISO 8601 duration of at least `minMs`. */
const isoDuration = (minMs: number) =>
  z.string().refine(
    (d) => {
      try {
        return parseIsoDuration(d) >= minMs;
      } catch {
        return false;
      }
    },
    { message: `must be an ISO 8601 duration${minMs > 0 ? ` of at least ${minMs / 1000} s` : ''}, e.g. P1D` },
  );

/** A JSON setting, checked against `shape`; `example` goes into the error. */
const jsonOf = <T extends z.ZodType>(shape: T, example: string) =>
  z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON: ${example}` });
        return z.NEVER;
      }
    })
    .pipe(shape);

/** Every setting comes from the environment, validated once at start-up with an error that names the variable. */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('o2c'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  /** The Temporal Web UI the console links each order and invoice to (e.g. http://localhost:8233). */
  TEMPORAL_UI_URL: z.string().url().optional(),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  WAREHOUSE_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Accounts Receivable <ar@example.com>'),
  DEFAULT_LEGAL_ENTITY: z.string().default('NL1'),
  PEPPOL_AP_URL: z.string().url().optional(),
  PEPPOL_AP_API_KEY: z.string().optional(),
  /** The collection agency's case API (the agency channel); absent: such a level waits for a person. */
  AGENCY_URL: z.string().url().optional(),
  AGENCY_API_KEY: z.string().default(''),
  /** The secrets the agency signs its webhook with, comma-separated (the new and the old while one is rotated). */
  AGENCY_WEBHOOK_SECRETS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(16, 'each secret needs at least 16 characters'))),
  CREDIT_OVERDUE_TOLERANCE_DAYS: z.coerce.number().int().min(0).default(DEFAULT_CREDIT_POLICY.overdueToleranceDays),
  CREDIT_HOLD_RISK_CLASSES: z
    .string()
    .default(DEFAULT_CREDIT_POLICY.holdRiskClasses.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(RISK_CLASSES))),
  CREDIT_NEW_CUSTOMER_MAX_PERCENT: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_CREDIT_POLICY.newCustomerMaxOrderPercentOfLimit),
  CREDIT_HARD_LIMIT_PERCENT: z.coerce.number().int().min(100).default(DEFAULT_CREDIT_POLICY.rejectAbovePercentOfLimit),
  CREDIT_HOLD_TIMEOUT: z.string().default('P14D'),
  CREDIT_HOLD_ESCALATE_AFTER: z.string().default('P2D'),
  CREDIT_HOLD_EXPIRY_ACTION: z.enum(CREDIT_HOLD_EXPIRY_ACTIONS).default('cancel'),
  CREDIT_ESCALATION_EMAIL: z.email().default('credit-control@example.com'),
  CREDIT_BUREAU_URL: z.string().url().optional(),
  CREDIT_BUREAU_API_KEY: z.string().optional(),
  CREDIT_REVIEW_CRON: z.string().default('0 2 * * *'),
  SHIPMENT_STUCK_AFTER: z.string().default('P2D'),
  PREPAYMENT_EXPIRY: z.string().default('P14D'),
  PAYMENT_PROVIDER_SECRETS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be JSON: {"provider": "secret"} or {"provider": ["new", "old"]}',
        });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.union([z.string().min(16), z.array(z.string().min(16)).min(1)])))
    .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]))),
  BANK_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  CASH_AUTO_APPLY_THRESHOLD: z.coerce.number().min(0).max(1).default(DEFAULT_MATCH_POLICY.autoApplyThreshold),
  CASH_SHORT_TOLERANCE: z.coerce.number().int().min(0).default(DEFAULT_MATCH_POLICY.shortTolerance.absolute),
  CASH_SHORT_TOLERANCE_BP: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(DEFAULT_MATCH_POLICY.shortTolerance.percentBp),
  DUNNING_POLICY: z.string().optional(),
  DUNNING_RUN_EVERY: isoDuration(1000).default('P1D'),
  /** Daily dunning runs only on the seller country's business days (no letter on a weekend or public holiday). */
  DUNNING_BUSINESS_DAYS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Per dispute reason, how long it may stay open: JSON, e.g. {"damaged":"P21D"}; the rest keep their default. */
  DISPUTE_SLA: jsonOf(z.partialRecord(z.enum(DISPUTE_REASONS), isoDuration(1)), '{"damaged": "P21D"}')
    .transform((overrides) => ({ ...DEFAULT_DISPUTE_SLA, ...overrides }))
    .default(DEFAULT_DISPUTE_SLA),
  DISPUTE_OWNER: z.string().min(1).default('accounts-receivable'),
  PROMISE_GRACE: isoDuration(0).default('P3D'),
  /** Per currency, the largest write-off one person may make, in minor units: JSON, e.g. {"EUR": 100000}. */
  WRITE_OFF_APPROVAL_ABOVE: jsonOf(
    z.partialRecord(z.enum(SUPPORTED_CURRENCIES), z.number().int().min(0)),
    '{"EUR": 100000, "NOK": 1000000}',
  ).default(DEFAULT_WRITE_OFF_APPROVAL_ABOVE),
});

export type Env = z.infer<typeof schema>;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export function requireEnv<K extends keyof Env>(env: Env, key: K): NonNullable<Env[K]> {
  const value = env[key];
  if (value === undefined || value === null) throw new Error(`Missing configuration: ${key} must be set`);
  return value;
}

/** Temporal connection options shared by the client (API) and the worker: plain, mTLS, or API key (Temporal Cloud). */
export function temporalConnectionOptions(env: Env) {
  const tls =
    env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
      ? { clientCertPair: { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY) } }
      : env.TEMPORAL_TLS === 'true' || env.TEMPORAL_API_KEY !== undefined;
  return { address: env.TEMPORAL_ADDRESS, tls, apiKey: env.TEMPORAL_API_KEY };
}
