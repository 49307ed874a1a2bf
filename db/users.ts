import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { DomainError } from '../domain/errors.js';
import type { Principal, Role } from './api-keys.js';
import { recordAudit } from './audit.js';
import type { DbOrTx } from './client.js';
import { sessions, users } from './schema.js';

// People signing in to the console: argon2id password hashes, a lock after repeated failures, sessions whose token
// only the browser holds (its SHA-256 here) with a CSRF token each.

export const USER_ROLES = ['finance', 'collector', 'credit_controller', 'admin'] as const satisfies readonly Role[];
export type UserRole = (typeof USER_ROLES)[number];

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane). */
const ARGON2 = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Failed sign-ins in a row that lock the account, and for how long. */
export const SIGN_IN_LIMIT = 5;
const LOCK_MS = 15 * 60_000;
const SESSION_MS = 8 * 3_600_000;
const MIN_PASSWORD = 12;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const normalEmail = (email: string) => email.trim().toLowerCase();
/** Hashed once at start: an unknown address costs a verification too, so timing does not tell which exist. */
const decoy = hash(randomBytes(16).toString('hex'), ARGON2);

export async function createUser(
  db: DbOrTx,
  input: { email: string; name: string; role: UserRole; password: string },
): Promise<{ id: string; email: string }> {
  const email = normalEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new DomainError('VALIDATION_FAILED', 'email: not an address', 'email');
  if (input.password.length < MIN_PASSWORD) {
    throw new DomainError('VALIDATION_FAILED', `password: at least ${MIN_PASSWORD} characters`, 'password');
  }
  const id = randomUUID();
  const [created] = await db
    .insert(users)
    .values({ id, email, name: input.name, role: input.role, passwordHash: await hash(input.password, ARGON2) })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (!created) throw new DomainError('USER_EXISTS', `A user ${email} exists`, 'email');
  return { id, email };
}

/** Sets a new password (a reset by an admin), unlocks the account and ends its sessions. False: no such user. */
export async function setPassword(db: DbOrTx, email: string, password: string): Promise<boolean> {
  if (password.length < MIN_PASSWORD) {
    throw new DomainError('VALIDATION_FAILED', `password: at least ${MIN_PASSWORD} characters`, 'password');
  }
  const [user] = await db
    .update(users)
    .set({ passwordHash: await hash(password, ARGON2), failedSignIns: 0, lockedUntil: null })
    .where(eq(users.email, normalEmail(email)))
    .returning({ id: users.id });
  if (user) await db.update(sessions).set({ signedOutAt: new Date() }).where(eq(sessions.userId, user.id));
  return user !== undefined;
}

export async function userExists(db: DbOrTx, email: string): Promise<boolean> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, normalEmail(email)));
  return user !== undefined;
}

export type SignIn =
  | { ok: true; token: string; csrfToken: string; user: { id: string; email: string; name: string; role: UserRole } }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSeconds?: number };

/**
 * Checks a password and opens a session. A wrong one counts towards the lock; at the limit the account is locked
 * for a while (even the right password is refused then). Failures, locks and sign-ins are audited.
 */
export async function signIn(db: DbOrTx, emailTyped: string, password: string, nowMs = Date.now()): Promise<SignIn> {
  const email = normalEmail(emailTyped);
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.disabledAt)));
  if (!user) {
    await verify(await decoy, password).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  const lockedFor = user.lockedUntil ? user.lockedUntil.getTime() - nowMs : 0;
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(lockedFor / 1000) };
  if (!(await verify(user.passwordHash, password))) {
    const [after] = await db
      .update(users)
      .set({ failedSignIns: sql`${users.failedSignIns} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failed: users.failedSignIns });
    const locked = after!.failed >= SIGN_IN_LIMIT;
    if (locked) {
      await db
        .update(users)
        .set({ failedSignIns: 0, lockedUntil: new Date(nowMs + LOCK_MS) })
        .where(eq(users.id, user.id));
    }
    await recordAudit(db, {
      decisionKey: `user:${user.id}:sign-in-failed:${nowMs}:${randomUUID()}`,
      actor: email,
      action: locked ? 'user.locked' : 'user.sign_in_failed',
      entityType: 'user',
      entityId: user.id,
      reason: locked ? `${SIGN_IN_LIMIT} failed sign-ins in a row` : 'wrong password',
    });
    return locked
      ? { ok: false, reason: 'locked', retryAfterSeconds: LOCK_MS / 1000 }
      : { ok: false, reason: 'invalid' };
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await db.update(users).set({ failedSignIns: 0, lockedUntil: null }).where(eq(users.id, user.id));
  await db
    .insert(sessions)
    .values({ tokenHash: sha256(token), userId: user.id, csrfToken, expiresAt: new Date(nowMs + SESSION_MS) });
  await recordAudit(db, {
    decisionKey: `user:${user.id}:sign-in:${sha256(token)}`,
    actor: email,
    action: 'user.sign_in',
    entityType: 'user',
    entityId: user.id,
    reason: 'password',
  });
  return { ok: true, token, csrfToken, user: { id: user.id, email, name: user.name, role: user.role as UserRole } };
}

/** The person a session token belongs to while it is open, with its CSRF token. */
export async function sessionOf(
  db: DbOrTx,
  token: string,
  nowMs = Date.now(),
): Promise<{ principal: Principal; csrfToken: string } | undefined> {
  const [row] = await db
    .select({ user: users, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, sha256(token)),
        isNull(sessions.signedOutAt),
        gt(sessions.expiresAt, new Date(nowMs)),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return undefined;
  return {
    principal: { userId: row.user.id, name: row.user.email, role: row.user.role as Role },
    csrfToken: row.csrfToken,
  };
}

export async function signOut(db: DbOrTx, token: string): Promise<void> {
  await db
    .update(sessions)
    .set({ signedOutAt: new Date() })
    .where(and(eq(sessions.tokenHash, sha256(token)), isNull(sessions.signedOutAt)));
}

/** Compares a CSRF token sent with a request to the session's, in constant time. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function listUsers(db: DbOrTx) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      lockedUntil: users.lockedUntil,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(users.email);
}

/** Disables a user: no sign-in, and every open session of theirs ends. */
export async function disableUser(db: DbOrTx, email: string): Promise<boolean> {
  const [user] = await db
    .update(users)
    .set({ disabledAt: new Date() })
    .where(and(eq(users.email, normalEmail(email)), isNull(users.disabledAt)))
    .returning({ id: users.id });
  if (user) await db.update(sessions).set({ signedOutAt: new Date() }).where(eq(sessions.userId, user.id));
  return user !== undefined;
}
