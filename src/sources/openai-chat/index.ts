import type { LineFormat, SourceFormat } from '../source-format.ts';
import { detectOpenAiChat, detectOpenAiChatDocument, isOpenAiChatDocument } from './detect.ts';
import { OpenAiChatParser, parseOpenAiChatDocument } from './parse.ts';
import { discoverJsonLines, noDefaultRoots } from './paths.ts';
import { openaiChatSource } from './schema.ts';

/** The same conversations saved as one JSON array; reached through `openaiChat.formatFor`. */
const openaiChatDocument: SourceFormat = {
  name: openaiChatSource,
  layout: 'document',
  aliases: [],
  defaultRoots: noDefaultRoots,
  discover: discoverJsonLines,
  detect: detectOpenAiChatDocument,
  parseDocument: parseOpenAiChatDocument,
};

export const openaiChat: LineFormat = {
  name: openaiChatSource,
  layout: 'lines',
  aliases: ['openai', 'openai-chat'],
  defaultRoots: noDefaultRoots,
  discover: discoverJsonLines,
  detect: detectOpenAiChat,
  formatFor: (head) => (isOpenAiChatDocument(head) ? openaiChatDocument : openaiChat),
  createParser: (file) => new OpenAiChatParser(file),
};
