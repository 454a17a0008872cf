import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Claude Code transcript lines for end-to-end tests: a prompt, then one answer per turn. */
export type Turn = { prompt: string; answer: string; at: string; outputTokens: number };

let counter = 0;
const uuid = () => `9a7c0e42-1b3d-4f5a-8c6e-${(++counter).toString(16).padStart(12, '0')}`;

export function turnLines(sessionId: string, turn: Turn): string[] {
  const envelope = {
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/shop',
    sessionId,
    version: '2.1.30',
    gitBranch: 'main',
  };
  const prompt = uuid();
  const answerAt = new Date(Date.parse(turn.at) + 2000).toISOString();
  const id = `msg_01E2e${counter}`;
  return [
    {
      parentUuid: null,
      ...envelope,
      type: 'user',
      message: { role: 'user', content: turn.prompt },
      uuid: prompt,
      timestamp: turn.at,
    },
    {
      parentUuid: prompt,
      ...envelope,
      type: 'assistant',
      uuid: uuid(),
      timestamp: answerAt,
      requestId: `req_01E2e${counter}`,
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: turn.answer }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 4,
          cache_creation_input_tokens: 100,
          cache_read_input_tokens: 1000,
          output_tokens: turn.outputTokens,
        },
      },
    },
  ].map((line) => JSON.stringify(line));
}

export function writeLines(path: string, lines: string[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
}

export function appendLines(path: string, lines: string[]): void {
  appendFileSync(path, lines.map((l) => `${l}\n`).join(''));
}
