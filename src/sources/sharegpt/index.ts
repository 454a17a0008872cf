import type { LineFormat, SourceFormat } from '../source-format.ts';
import { detectShareGpt, detectShareGptLines, isShareGptDocument } from './detect.ts';
import { ShareGptLineParser, parseShareGptDocument } from './parse.ts';
import { discoverShareGptFiles, noDefaultRoots } from './paths.ts';
import { sharegptSource } from './schema.ts';

/** ShareGPT as JSON Lines; reached through `sharegpt.formatFor`, not registered on its own. */
const sharegptLines: LineFormat = {
  name: sharegptSource,
  layout: 'lines',
  aliases: [],
  defaultRoots: noDefaultRoots,
  discover: discoverShareGptFiles,
  detect: detectShareGptLines,
  createParser: (file) => new ShareGptLineParser(file),
};

export const sharegpt: SourceFormat = {
  name: sharegptSource,
  layout: 'document',
  aliases: ['sharegpt'],
  defaultRoots: noDefaultRoots,
  discover: discoverShareGptFiles,
  detect: detectShareGpt,
  formatFor: (head) => (isShareGptDocument(head) ? sharegpt : sharegptLines),
  parseDocument: parseShareGptDocument,
};
