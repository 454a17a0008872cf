import type { DocumentFormat, LineFormat, SourceFormat } from '../source-format.ts';
import { detectGeminiDocument, detectGeminiLines, geminiLayout } from './detect.ts';
import { parseGeminiDocument } from './document.ts';
import { GeminiChatParser } from './parse.ts';
import { discoverGeminiFiles, geminiTmpRoots } from './paths.ts';
import { geminiSource } from './schema.ts';

const common = {
  name: geminiSource,
  aliases: ['gemini', 'gemini-cli'],
  defaultRoots: geminiTmpRoots,
  discover: discoverGeminiFiles,
  formatFor: (head) => (geminiLayout(head) === 'lines' ? gemini : geminiDocuments),
} satisfies Partial<SourceFormat>;

/** Legacy chats and logs.json: JSON documents, read whole whenever they change. */
const geminiDocuments: DocumentFormat = {
  ...common,
  layout: 'document',
  detect: detectGeminiDocument,
  parseDocument: parseGeminiDocument,
};

/** Gemini CLI: the JSON Lines chats, and through `formatFor` the JSON documents beside them. */
export const gemini: LineFormat = {
  ...common,
  layout: 'lines',
  detect: (head) => (geminiLayout(head) === 'lines' ? detectGeminiLines(head) : detectGeminiDocument(head)),
  createParser: (file) => new GeminiChatParser(file),
  replaysOnResume: true,
};
