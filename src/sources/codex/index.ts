import type { DocumentFormat, LineFormat, SourceFormat } from '../source-format.ts';
import { detectCodex } from './detect.ts';
import { detectCodexDocument, isCodexDocument } from './detect-document.ts';
import { parseCodexDocument } from './document.ts';
import { CodexParser } from './parse.ts';
import { codexHomes, discoverCodexFiles } from './paths.ts';
import { codexSource } from './schema.ts';

const common = {
  name: codexSource,
  aliases: ['codex'],
  defaultRoots: codexHomes,
  discover: discoverCodexFiles,
  formatFor: (head) => (isCodexDocument(head) ? codexDocuments : codex),
} satisfies Partial<SourceFormat>;

/** Rollouts of the first, TypeScript Codex CLI: one JSON document each (document.ts). */
const codexDocuments: DocumentFormat = {
  ...common,
  layout: 'document',
  detect: detectCodexDocument,
  parseDocument: parseCodexDocument,
};

export const codex: LineFormat = {
  ...common,
  layout: 'lines',
  // The thread, the turn's model, cumulative token totals and message mirrors span lines.
  replaysOnResume: true,
  detect: (head) => (isCodexDocument(head) ? detectCodexDocument(head) : detectCodex(head)),
  createParser: (file) => new CodexParser(file),
};
