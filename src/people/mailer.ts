/**
 * E-mail for invitation and password-reset links, when SMTP_URL is set (nodemailer). Sending happens
 * after the change committed and never fails it: the link is also returned to the ADMIN who made it,
 * so a mail server that is down only means they pass the link on themselves.
 */
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';

export type Mailer = {
  /** True when the server accepted the message. */
  send(message: { to: string; subject: string; text: string }): Promise<boolean>;
  close(): void;
};

export function createMailer(smtp: { url: string; from: string } | null, logger: Logger): Mailer | null {
  if (!smtp) return null;
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: smtp.from, ...message });
        return true;
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err), subject: message.subject }, 'could not send e-mail');
        return false;
      }
    },
    close: () => transport.close(),
  };
}
