import type { SourceFormat } from '../source-format.ts';
import { detectOpenAiChat } from './detect.ts';
import { OpenAiChatParser } from './parse.ts';
import { discoverJsonLines, noDefaultRoots } from './paths.ts';
import { openaiChatSource } from './schema.ts';

export const openaiChat: SourceFormat = {
  name: openaiChatSource,
  layout: 'lines',
  aliases: ['openai', 'openai-chat'],
  defaultRoots: noDefaultRoots,
  discover: discoverJsonLines,
  detect: detectOpenAiChat,
  createParser: (file) => new OpenAiChatParser(file),
};
