import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Agentlog } from '../../src/agentlog.ts';
import { defaultRedaction, RecordRedactor } from '../../src/enrich/record-redactor.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';

const bare: ParsedRecord = {
  recordType: 'line',
  sessionExternalId: null,
  sessions: [],
  message: null,
  usage: null,
  images: [],
  problem: null,
};

/**
 * How many of a file's non-empty lines are kept as raw records. Raw records are stored as the
 * default redaction leaves them (secrets and PII masked), so each line is looked up by the hash
 * of its redacted bytes.
 */
export async function rawLinesKept(agentlog: Agentlog, path: string, source: string): Promise<number> {
  const redactor = new RecordRedactor(defaultRedaction);
  let kept = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.length === 0) continue;
    const stored = redactor.redact(bare, Buffer.from(line)).raw ?? Buffer.from(line);
    const hash = createHash('sha256').update(stored).digest('hex');
    if ((await agentlog.store.rawRecord(agentlog.project.id, source, hash)) !== null) kept++;
  }
  return kept;
}
