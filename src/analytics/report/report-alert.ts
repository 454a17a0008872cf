import type { NotifyConfig } from '../../config/notify-config.ts';
import type { Alert } from '../../domain/alert.ts';
import { sendCrashEmail, type EmailDelivery } from '../../notify/send-crash-email.ts';
import type { Store } from '../../storage/ports.ts';
import type { Report } from './report-contract.ts';
import { renderMarkdown } from './render-markdown.ts';

export type AlertOutcome = { alert: Alert; delivery: EmailDelivery } | null;

/**
 * Raises an alert when the report's collaboration score is below the threshold: an alert record
 * in the store, then an e-mail with the report when SMTP is configured. A failed e-mail is noted
 * on the alert, never thrown: the alert is already stored.
 */
export async function alertOnLowScore(
  deps: { store: Store; notify: NotifyConfig; projectId: number },
  report: Report,
  threshold: number | undefined,
  reportPath: string | null,
): Promise<AlertOutcome> {
  if (threshold === undefined || report.collaboration.score >= threshold) return null;
  const score = report.collaboration.score;
  const alert = await deps.store.addAlert({
    projectId: deps.projectId,
    kind: 'collaboration_score',
    createdAt: report.generatedAt,
    message: `The collaboration score of ${report.project} is ${score.toFixed(1)}, below the threshold ${threshold}.`,
    value: score,
    threshold,
    report: reportPath,
  });
  const delivery = await sendCrashEmail(deps.notify, {
    subject: `agentlog: collaboration score ${score.toFixed(1)} < ${threshold} (${report.project})`,
    markdown: `${alert.message}\n\n${renderMarkdown(report)}`,
    json: JSON.stringify(report, null, 2),
    attachmentName: 'analytics_report.json',
  });
  if (delivery.status !== 'not-configured') {
    const error = delivery.status === 'failed' ? delivery.reason : null;
    await deps.store.noteAlertDelivery(alert.id, { at: Date.now(), error });
    return {
      alert: { ...alert, notifiedAt: error === null ? Date.now() : null, notifyError: error },
      delivery,
    };
  }
  return { alert, delivery };
}
