import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentlogError } from '../../domain/errors.ts';
import type { Report } from './report-contract.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';

export const reportFormats = ['json', 'md', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const renderers: Record<ReportFormat, (report: Report) => string> = {
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
  md: renderMarkdown,
  html: renderHtml,
};

/** `analytics_report_YYYYMMDD_HHMMSS.<ext>`, the time in UTC. */
export function reportFileName(at: number, format: ReportFormat): string {
  const iso = new Date(at).toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
  return `analytics_report_${stamp}.${format}`;
}

/** Writes the report in each format; each file appears whole (written aside, then renamed). */
export async function writeReport(
  report: Report,
  dir: string,
  formats: readonly ReportFormat[],
): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new AgentlogError('INVALID_ARGUMENT', `Cannot create the report directory ${dir}.`, {
      hint: 'Choose a writable directory with --out.',
      cause,
    });
  }
  const written: string[] = [];
  for (const format of formats) {
    const path = join(dir, reportFileName(report.generatedAt, format));
    const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(temp, renderers[format](report));
      await rename(temp, path);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new AgentlogError('INVALID_ARGUMENT', `Cannot write the report ${path}.`, {
        hint: 'Choose a writable directory with --out.',
        cause,
      });
    }
    written.push(path);
  }
  return written;
}
