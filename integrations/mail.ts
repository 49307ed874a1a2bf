import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable per business message, so a receiving system can drop a duplicate resend. */
  messageId: string;
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ providerMessageId: string }>;
  close(): void;
}

/** SMTP delivery (any relay: Postfix, SES, Mailgun, or the local capture server). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(message) {
      const info = await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
        ...(message.attachments ? { attachments: message.attachments } : {}),
      });
      return { providerMessageId: String(info.messageId) };
    },
    close: () => transport.close(),
  };
}
