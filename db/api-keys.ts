import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { apiKeys } from './schema.js';

/**
 * Who may do what: integration (systems placing orders, reporting shipments and payments), finance (all of
 * accounts receivable), collector (the worklist, calls, promises, disputes), credit_controller (credit holds and
 * accounts), admin (everything, and the second approval of large write-offs).
 */
export const ROLES = ['integration', 'finance', 'collector', 'credit_controller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An API key's holder, or a person signed in to the console (then no key). */
export interface Principal {
  keyId?: string;
  userId?: string;
  /** What audit entries name: the key's name, or the person's e-mail address. */
  name: string;
  role: Role;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Creates a key and returns it in clear once; only its hash is stored. */
export async function createApiKey(
  db: DbOrTx,
  input: { name: string; role: Role },
): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  const key = `o2c_${randomBytes(24).toString('base64url')}`;
  await db.insert(apiKeys).values({ id, name: input.name, role: input.role, keyHash: hashKey(key) });
  return { id, key };
}

export async function authenticate(db: DbOrTx, key: string): Promise<Principal | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)));
  return row ? { keyId: row.id, name: row.name, role: row.role as Role } : undefined;
}
