import { readLineFile } from './line-file.ts';
import type { OutputSink } from './output-sinks.ts';
import type { Settlement } from './settle-examples.ts';

/**
 * The second pass: the spooled records (each already written in its format and validated) of
 * the examples that survived the settlement, copied to their split's file in order. Nothing is
 * parsed: the split is put in front of each record's text.
 */
export async function writeExamples(
  spoolPath: string,
  settlement: Settlement,
  sink: OutputSink,
): Promise<void> {
  let k = 0;
  let record: string | null = null;
  for await (const line of readLineFile(spoolPath)) {
    if (record === null) {
      record = line;
      continue;
    }
    if (settlement.dropped[k] === 0)
      await sink.add({
        split: settlement.split[k]!,
        cluster: settlement.cluster[k]!,
        record,
        provenance: line,
      });
    record = null;
    k++;
  }
}
