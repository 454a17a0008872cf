import type { BuildSummary, ShowResult, ValidationReport } from '../../datasets/dataset-contract.ts';
import { writeLine, type CliIo } from '../io.ts';
import { formatBytes } from '../progress.ts';

/** The human-readable outputs of `agentlog dataset` (the --json ones are the contract). */

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

export function printFile(io: CliIo, { trainingFile: f, builds }: ShowResult): void {
  const facts: [string, string | null][] = [
    ['Training file', `${f.id} "${f.name}"`],
    ['Description', f.description],
    ['Sessions', String(f.sessionCount)],
    ['Created', when(f.createdAt)],
    ['Updated', when(f.updatedAt)],
  ];
  for (const [label, value] of facts)
    if (value !== null) writeLine(io.stdout, `${`${label}:`.padEnd(15)}${value}`);
  if (builds.length === 0)
    return writeLine(io.stdout, `${'Builds:'.padEnd(15)}none yet (npx agentlog dataset build ${f.name})`);
  writeLine(io.stdout, 'Builds:');
  for (const b of builds) {
    const summary = b.summary as Partial<BuildSummary>;
    const size = b.files.reduce((n, file) => n + file.bytes, 0);
    writeLine(
      io.stdout,
      `  v${b.version}  ${b.format.padEnd(8)}  ${when(b.createdAt)}  ${String(summary.examples ?? '?').padStart(6)} examples  ${formatBytes(size).padStart(8)}  ${b.digest.slice(0, 12)}`,
    );
  }
}

export function printBuild(io: CliIo, s: BuildSummary): void {
  writeLine(
    io.stdout,
    `Built ${s.file.name} v${s.version} (${s.format}): ${s.examples} examples, ${s.split.train} train / ${s.split.validation} validation (${s.split.groups} groups).`,
  );
  writeLine(
    io.stdout,
    `Sessions: ${s.sessions.total} (${s.sessions.used} used, ${s.sessions.empty} with nothing to train, ${s.sessions.missing} missing).`,
  );
  writeLine(io.stdout, `Dropped: ${s.dropped.total} of ${s.candidates} (${counts(s.dropped.byReason)}).`);
  writeLine(
    io.stdout,
    `Quality: average ${s.quality.average}, min ${s.quality.min}, max ${s.quality.max} (threshold ${s.quality.threshold}).`,
  );
  writeLine(
    io.stdout,
    `Tokens: ${s.tokens.total} (median ${s.tokens.perExample.median} per example; ${s.tokens.exact} counted exactly).`,
  );
  writeLine(io.stdout, `Bad input: ${counts(s.badInput)}. Masked secrets: ${counts(s.masked)}.`);
  for (const w of s.warnings) writeLine(io.stderr, `agentlog: warning: ${w}`);
  for (const f of s.files)
    writeLine(
      io.stdout,
      `  ${f.name.padEnd(18)} ${formatBytes(f.bytes).padStart(9)}  sha256 ${f.sha256}${f.path ? `  ${f.path}` : ''}`,
    );
  writeLine(io.stdout, `Digest: ${s.digest}`);
}

export function printValidation(io: CliIo, r: ValidationReport): void {
  const verdict = r.ok ? 'OK' : 'FAILED';
  writeLine(
    io.stdout,
    `${verdict}: ${r.stats.examples} examples (${r.format}), ${r.errorCount} errors, ${r.warningCount} warnings.`,
  );
  for (const e of r.errors.slice(0, 50))
    writeLine(io.stdout, `  error   ${e.line === null ? 'file' : `line ${e.line}`}: ${e.code}: ${e.message}`);
  for (const w of r.warnings.slice(0, 20))
    writeLine(io.stdout, `  warning ${w.line === null ? 'file' : `line ${w.line}`}: ${w.code}: ${w.message}`);
  const t = r.stats.totalTokens;
  writeLine(
    io.stdout,
    `Tokens per example: min ${t.min}, median ${t.median}, p95 ${t.p95}, max ${t.max}; ${r.stats.overTokenBudget} over ${r.stats.tokenBudget}.`,
  );
  writeLine(
    io.stdout,
    `Billing estimate: ${r.stats.billing.tokens} tokens over ${r.stats.billing.epochs} epochs.`,
  );
}
