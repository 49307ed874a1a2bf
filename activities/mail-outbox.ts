import { claimOutboundMessage, markOutboundMessageSent } from '../db/mail-outbox.js';
import type { MailAttachment } from '../integrations/mail.js';
import type { ActivityDeps } from './deps.js';

/**
 * Sends a mail at most once per message key: the outbox row is claimed first and marked sent after the relay
 * accepted it. If the process dies between the two, the retry sends again with the same Message-ID, which the
 * receiving side can drop; this is the narrowest window SMTP allows.
 */
export async function sendMailOnce(
  { db, mailer }: Pick<ActivityDeps, 'db' | 'mailer'>,
  message: { messageKey: string; to: string; subject: string; text: string; attachments?: MailAttachment[] },
): Promise<{ providerMessageId: string | null }> {
  const claimed = await claimOutboundMessage(db, {
    messageKey: message.messageKey,
    recipient: message.to,
    subject: message.subject,
  });
  if (claimed.sent) return { providerMessageId: claimed.providerMessageId };
  const { providerMessageId } = await mailer.send({
    to: message.to,
    subject: message.subject,
    text: message.text,
    messageId: `<${message.messageKey.replace(/[^A-Za-z0-9.-]/g, '.')}@o2c.local>`,
    ...(message.attachments ? { attachments: message.attachments } : {}),
  });
  await markOutboundMessageSent(db, message.messageKey, providerMessageId);
  return { providerMessageId };
}
