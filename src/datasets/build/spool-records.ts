import type { DatasetFormat } from '../../domain/training-file.ts';
import type { Example } from '../example.ts';
import type { Quality } from '../quality/quality-score.ts';
import type { Measure } from '../token-meter.ts';

/**
 * What the first pass spools for each kept example: the output record and its provenance, both
 * as finished JSON text. The split (and cluster) are decided only once every example is in, so
 * the second pass adds them in front of the text (`{"split":…,` + the rest) without parsing it.
 */
export type SpooledRecord = { record: string; provenance: string };

export type Judged = {
  example: Example;
  encoded: Record<string, unknown>;
  messages: Example['messages'];
  quality: Quality;
  tokens: Measure;
};

export function spoolRecord(format: DatasetFormat, judged: Judged): SpooledRecord {
  const { example, quality, tokens } = judged;
  const provenance = JSON.stringify({
    example: example.id,
    session: example.sessionId,
    strategy: example.strategy,
    index: example.index,
    messageIds: example.messageIds,
    quality: quality.score,
    tokens: tokens.total,
  });
  return { record: recordText(format, judged), provenance };
}

function recordText(format: DatasetFormat, { example, encoded, messages, quality, tokens }: Judged): string {
  if (format === 'parquet')
    return JSON.stringify({
      id: example.id,
      session_id: example.sessionId,
      strategy: example.strategy,
      example_index: example.index,
      message_ids: example.messageIds,
      quality: quality.score,
      tokens: tokens.total,
      messages: encoded.messages,
      tools: encoded.tools ?? [],
    });
  if (format === 'json')
    return JSON.stringify({
      id: example.id,
      sessionId: example.sessionId,
      strategy: example.strategy,
      index: example.index,
      messageIds: example.messageIds,
      quality,
      tokens,
      messages,
    });
  return JSON.stringify(encoded);
}

/** `{"a":1}` with fields put in front: `{"split":"train","a":1}`. */
export function withFields(json: string, fields: Record<string, unknown>): string {
  const head = JSON.stringify(fields).slice(0, -1);
  return json === '{}' ? `${head}}` : `${head},${json.slice(1)}`;
}
