import { AgentlogError } from '../../domain/errors.ts';
import type { TargetFormat } from '../formats/target-format.ts';
import { findingsText, type SecretGate } from '../secret-gate.ts';
import { Samples } from '../validate/samples.ts';
import { checkExample } from '../validate/example-checks.ts';
import { severityOf } from '../validate/finding-codes.ts';
import type { SpooledExample } from './judge-sessions.ts';
import { readLineFile } from './line-file.ts';
import type { OutputSink } from './output-sinks.ts';
import type { Settlement } from './settle-examples.ts';

export type WriteTally = { tokens: Samples; exact: number; contextTurns: number };

/**
 * The second pass: the spooled examples that survived, each written in its line format and read
 * back through the same format's validator and the secret gate before it reaches a file. An
 * example that fails there is a bug (the first pass judged it), and stops the build: nothing
 * the build staged is published.
 */
export async function writeExamples(
  spoolPath: string,
  settlement: Settlement,
  format: TargetFormat,
  gate: SecretGate,
  sink: OutputSink,
): Promise<WriteTally> {
  const tally: WriteTally = { tokens: new Samples(), exact: 0, contextTurns: 0 };
  let k = -1;
  for await (const line of readLineFile(spoolPath)) {
    k++;
    if (settlement.dropped[k] === 1) continue;
    const example = JSON.parse(line) as SpooledExample;
    const encoded = format.encode(example.messages);
    if (!encoded.ok) throw refused(example.id, encoded.reason);
    verify(example.id, encoded.value, format, gate);
    await sink.add({
      ...example,
      split: settlement.split[k]!,
      cluster: settlement.cluster[k]!,
      encoded: encoded.value,
    });
    tally.tokens.add(example.tokens.total);
    if (example.tokens.exact) tally.exact++;
    if (example.messages.some((m) => m.role === 'assistant' && m.weight === 0)) tally.contextTurns++;
  }
  return tally;
}

function verify(id: string, value: Record<string, unknown>, format: TargetFormat, gate: SecretGate): void {
  const found = gate.find(value);
  if (Object.keys(found).length > 0) throw refused(id, `the secret gate finds ${findingsText(found)}`);
  const decoded = format.decode(value);
  const problems = [...decoded.problems];
  if (decoded.messages !== null)
    problems.push(
      ...checkExample(decoded.messages, { declaredTools: decoded.declaredTools, toolNames: true }),
    );
  const error = problems.find((p) => severityOf(p) === 'error');
  if (error !== undefined) throw refused(id, `${error.code}: ${error.message}`);
}

function refused(id: string, why: string): AgentlogError {
  return new AgentlogError(
    'INTERNAL',
    `Example ${id} failed validation as written (${why}); nothing was published.`,
    {
      hint: 'This is a bug in agentlog: report it with the training file, or drop the session from the file.',
    },
  );
}
