import type { Config } from '../../config/config.ts';
import type { Run, StoredCrashReport } from '../../domain/run.ts';
import { createLlmProvider } from '../../llm/create-provider.ts';
import { sendCrashEmail, type EmailDelivery } from '../../notify/send-crash-email.ts';
import type { BlobStore, Store } from '../../storage/ports.ts';
import { createSecretMasker } from '../mask-secrets.ts';
import { openConversation, readRunMetadata } from '../run-artifacts.ts';
import { analyzeCrash, type ModelChoice } from './analyze-crash.ts';
import type { CrashReport, CrashTrigger } from './crash-report.ts';
import type { ExitStatus } from './extract-error.ts';
import { renderCrashMarkdown } from './report-markdown.ts';

export type CrashDeps = {
  store: Store;
  blobs: BlobStore;
  config: Pick<Config, 'llm' | 'notify' | 'redaction' | 'project'>;
};

export type CrashRequest = {
  run: Run;
  trigger: CrashTrigger;
  host: string;
  exit: ExitStatus;
  logTail: string;
};

export type CrashOutcome = { report: CrashReport; markdown: string; email: EmailDelivery };

/** The configured model; a configuration that names a provider but lacks what it needs is a reason, not a throw. */
export function chooseModel(config: Pick<Config, 'llm'>): ModelChoice {
  const maxOutputTokens = config.llm.maxOutputTokens;
  try {
    return { provider: createLlmProvider(config.llm), problem: null, maxOutputTokens };
  } catch (error) {
    return {
      provider: null,
      problem: error instanceof Error ? error.message : String(error),
      maxOutputTokens,
    };
  }
}

/**
 * Builds a run's crash report (with the captured conversation and config), stores it with the
 * run, and e-mails it when SMTP is configured.
 */
export async function reportCrash(deps: CrashDeps, request: CrashRequest): Promise<CrashOutcome> {
  const { run } = request;
  const metadata = await readRunMetadata(deps.blobs, run);
  const copy = metadata?.config;
  const config = copy?.content != null ? { path: copy.path, content: copy.content } : null;
  // The log is the job's own output: secrets it printed stay out of the report, the prompt and the e-mail.
  const mask = createSecretMasker(deps.config, deps.config.project);
  const report = await analyzeCrash({
    ...request,
    logTail: mask(request.logTail),
    conversation: await openConversation(deps.store, deps.blobs, run),
    config,
    model: chooseModel(deps.config),
    promptTokens: deps.config.llm.promptTokens,
  });
  const markdown = renderCrashMarkdown(report);
  const json = JSON.stringify(report, null, 2);
  const stored: StoredCrashReport = {
    id: report.id,
    runId: run.id,
    createdAt: Date.parse(report.createdAt),
    analyzer: report.analysis === null ? 'builtin' : 'llm',
    signature: report.error.summary,
    json,
    markdown,
  };
  await deps.store.addCrashReport(stored);
  const email = await sendCrashEmail(deps.config.notify, {
    subject: `[agentlog] run ${run.id} (chain ${run.chainId}) crashed: ${report.error.summary}`.slice(0, 200),
    markdown,
    json,
    attachmentName: `${report.id}.json`,
  });
  return { report, markdown, email };
}
