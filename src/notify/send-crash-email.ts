import { hostname } from 'node:os';
import { createTransport } from 'nodemailer';
import type { NotifyConfig } from '../config/notify-config.ts';

export type EmailDelivery =
  | { status: 'sent'; to: string[]; messageId: string }
  | { status: 'not-configured' }
  | { status: 'failed'; to: string[]; reason: string };

export type CrashEmail = {
  subject: string;
  /** The report as Markdown: readable as plain text. */
  markdown: string;
  /** The report's JSON, attached. */
  json: string;
  attachmentName: string;
};

const timeoutMs = 30_000;

/**
 * Sends a crash report by e-mail through the configured SMTP server (nodemailer). Without an
 * SMTP URL or a recipient nothing is sent; a failure is a value with the reason, never a throw:
 * the report is already stored.
 */
export async function sendCrashEmail(config: NotifyConfig, email: CrashEmail): Promise<EmailDelivery> {
  if (config.smtpUrl === undefined || config.to.length === 0) return { status: 'not-configured' };
  const transport = createTransport({
    url: config.smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: config.from ?? `agentlog <agentlog@${hostname()}>`,
      to: config.to,
      subject: email.subject,
      text: email.markdown,
      attachments: [{ filename: email.attachmentName, content: email.json, contentType: 'application/json' }],
    });
    return { status: 'sent', to: config.to, messageId: info.messageId };
  } catch (error) {
    return {
      status: 'failed',
      to: config.to,
      reason: error instanceof Error ? error.message : String(error),
    };
  } finally {
    transport.close();
  }
}
