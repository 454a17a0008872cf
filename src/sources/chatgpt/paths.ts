import { basename } from 'node:path';
import { walkFiles } from '../shared/walk.ts';

/** `conversations.json`, or one part of an export split as `conversations-000.json`, `-001.json`, ... */
const exportFile = /^conversations(-\d+)?\.json$/;

/**
 * ChatGPT keeps nothing on disk: an export is a zip the user downloads. Given an unzipped export
 * (or any directory holding several), its conversation files are the transcripts.
 */
export function discoverChatgptFiles(root: string): AsyncIterable<string> {
  return walkFiles(root, (path) => exportFile.test(basename(path)));
}

export const chatgptRoots = (): string[] => [];
