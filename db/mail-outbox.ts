import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { outboundMessages } from './schema.js';

/** Claims a message key for sending; answers the provider id when it was sent already. */
export async function claimOutboundMessage(
  db: DbOrTx,
  message: { messageKey: string; recipient: string; subject: string },
): Promise<{ sent: boolean; providerMessageId: string | null }> {
  await db
    .insert(outboundMessages)
    .values({ ...message, status: 'queued' })
    .onConflictDoNothing();
  const [row] = await db.select().from(outboundMessages).where(eq(outboundMessages.messageKey, message.messageKey));
  return { sent: row?.status === 'sent', providerMessageId: row?.providerMessageId ?? null };
}

export async function markOutboundMessageSent(db: DbOrTx, messageKey: string, providerMessageId: string | null) {
  await db
    .update(outboundMessages)
    .set({ status: 'sent', providerMessageId, sentAt: sql`now()` })
    .where(and(eq(outboundMessages.messageKey, messageKey), eq(outboundMessages.status, 'queued')));
}
