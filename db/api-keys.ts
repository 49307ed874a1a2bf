import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { apiKeys } from './schema.js';

export const ROLES = ['integration', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: string;
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
