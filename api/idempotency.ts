import { createHash } from 'node:crypto';

/** A stable id (a UUID) per purpose, subject and key (an Idempotency-Key), so a retried request finds what the first one issued. */
export function stableId(purpose: string, subject: string, key: string): string {
  const h = createHash('sha256').update(`${purpose}:${subject}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
