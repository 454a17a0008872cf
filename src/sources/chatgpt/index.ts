import type { SourceFormat } from '../source-format.ts';
import { detectChatgpt } from './detect.ts';
import { parseChatgptExport } from './parse.ts';
import { chatgptRoots, discoverChatgptFiles } from './paths.ts';
import { chatgptSource } from './schema.ts';

export const chatgpt: SourceFormat = {
  name: chatgptSource,
  layout: 'document',
  aliases: ['chatgpt'],
  defaultRoots: chatgptRoots,
  discover: discoverChatgptFiles,
  detect: detectChatgpt,
  parseDocument: parseChatgptExport,
};
