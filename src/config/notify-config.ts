import { z } from 'zod';

/** E-mail for crash reports: sent when an SMTP URL and at least one recipient are set. */
export const notifySchema = z
  .object({
    /** `smtp://user:pass@host:587` or `smtps://...` (nodemailer's URL form). */
    smtpUrl: z.string().min(1).optional(),
    to: z.array(z.string().min(3)).default([]),
    from: z.string().min(3).optional(),
  })
  .prefault({});

export type NotifyConfig = z.infer<typeof notifySchema>;

type Env = Readonly<Record<string, string | undefined>>;

/** AGENTLOG_SMTP_URL, AGENTLOG_NOTIFY_TO (comma-separated) and AGENTLOG_NOTIFY_FROM over the file. */
export function notifyInputs(
  fromFile: Record<string, unknown> | undefined,
  env: Env,
): Record<string, unknown> {
  const to = env.AGENTLOG_NOTIFY_TO?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return {
    ...fromFile,
    ...(env.AGENTLOG_SMTP_URL ? { smtpUrl: env.AGENTLOG_SMTP_URL } : {}),
    ...(to && to.length > 0 ? { to } : {}),
    ...(env.AGENTLOG_NOTIFY_FROM ? { from: env.AGENTLOG_NOTIFY_FROM } : {}),
  };
}
