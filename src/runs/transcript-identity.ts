import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readHead } from '../ingest/file-head.ts';
import { describeClaudePath } from '../sources/claude-code/paths.ts';
import { describeGeminiPath } from '../sources/gemini/paths.ts';

/**
 * What the first bytes of a transcript say about where it was written: the session id, the
 * working directories named (Claude records, Codex `session_meta`/`turn_context`), Gemini's
 * project hash (sha256 of the project root) and project folder, and whether it is a sub-agent's.
 */
export type TranscriptIdentity = {
  sessionId: string | null;
  cwds: string[];
  projectHash: string | null;
  /** Gemini: the project root written in the project folder's `.project_root` marker. */
  projectRoot: string | null;
  child: boolean;
};

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The JSON objects of the complete lines of a head; a broken line is passed over. */
function headObjects(text: string): Obj[] {
  const lines = text.split('\n');
  lines.pop(); // the last piece may be cut short
  const out: Obj[] = [];
  for (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      if (isObj(value)) out.push(value);
    } catch {
      // not a whole JSON line: nothing to learn from it
    }
  }
  return out;
}

export async function readTranscriptIdentity(
  format: string,
  path: string,
): Promise<TranscriptIdentity | null> {
  const text = (await readHead(path).catch(() => null))?.toString('utf8');
  if (text === undefined) return null;
  switch (format) {
    case 'claude-code':
      return claudeIdentity(path, text);
    case 'codex':
      return codexIdentity(text);
    case 'gemini':
      return geminiIdentity(path, text);
    default:
      return null;
  }
}

function claudeIdentity(path: string, text: string): TranscriptIdentity {
  const described = describeClaudePath(path);
  const cwds = new Set<string>();
  let sessionId: string | null = null;
  for (const o of headObjects(text)) {
    const cwd = str(o.cwd);
    if (cwd !== null) cwds.add(cwd);
    sessionId ??= str(o.sessionId);
  }
  // A first line longer than the head: its top-level `cwd` comes before the message content.
  if (cwds.size === 0) {
    const found = /"cwd":("(?:[^"\\]|\\.)*")/.exec(text);
    if (found) cwds.add(JSON.parse(found[1]!) as string);
  }
  return {
    sessionId: described.agentId === null ? described.stem : sessionId,
    cwds: [...cwds],
    projectHash: null,
    projectRoot: null,
    child: described.agentId !== null,
  };
}

function codexIdentity(text: string): TranscriptIdentity {
  const cwds = new Set<string>();
  let sessionId: string | null = null;
  let child = false;
  for (const o of headObjects(text)) {
    // Current rollouts wrap records in {type, payload}; the oldest start with a bare {id, cwd}.
    const payload = isObj(o.payload) ? o.payload : o;
    const cwd = str(payload.cwd);
    if (cwd !== null) cwds.add(cwd);
    if (o.type === 'session_meta' || (sessionId === null && o.type === undefined)) {
      sessionId ??= str(payload.id) ?? str(payload.session_id);
      const source = payload.source;
      if (isObj(source) && 'subagent' in source) child = true;
    }
  }
  return { sessionId, cwds: [...cwds], projectHash: null, projectRoot: null, child };
}

async function geminiIdentity(path: string, text: string): Promise<TranscriptIdentity | null> {
  if (basename(path) === 'logs.json') return null;
  const described = describeGeminiPath(path);
  const sessionId = /"sessionId"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
  const projectHash = /"projectHash"\s*:\s*"([0-9a-f]{64})"/.exec(text)?.[1] ?? null;
  const kind = /"kind"\s*:\s*"(\w+)"/.exec(text)?.[1];
  const projectDir =
    described.parentSessionId === null ? dirname(dirname(path)) : dirname(dirname(dirname(path)));
  const marker = await readFile(join(projectDir, '.project_root'), 'utf8').catch(() => null);
  return {
    sessionId: sessionId === undefined ? null : (JSON.parse(sessionId) as string),
    cwds: [],
    projectHash,
    projectRoot: marker?.trim() || null,
    child: described.parentSessionId !== null || kind === 'subagent',
  };
}
