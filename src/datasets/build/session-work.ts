import type { BuildOptions } from '../../config/datasets-config.ts';
import type { RedactionCounts } from '../../enrich/text-redactor.ts';
import { parseTrainingMessages, toConversation } from '../conversation.ts';
import type { BadInputCounts } from '../example.ts';
import { examplesOf } from '../strategies/pick-strategy.ts';
import type { TokenMeter } from '../token-meter.ts';
import type { ExampleSieve, Judgement } from './example-sieve.ts';
import type { SessionInput } from './session-source.ts';

/** What the build keeps of each session: enough for the manifest, the document and the distribution. */
export type SessionRecord = {
  session: string;
  source: string;
  agent: string;
  domain: string | null;
  tier: string | null;
  title: string | null;
  startedAt: number | null;
  messages: number;
  sha256: string;
  /** Examples written from it (filled in once the examples are settled). */
  examples: number;
};

/** One session's share of the first pass (plain data: it crosses threads). */
export type SessionOutcome = {
  record: SessionRecord;
  badInput: BadInputCounts;
  excluded: number;
  judgements: Judgement[];
  /** Masked in the session's title (JSON document only). */
  masked: RedactionCounts;
};

export type SessionWorker = { options: BuildOptions; meter: TokenMeter; sieve: ExampleSieve };

/** Reads a session into a chat, cuts its examples and judges each: the same in any thread. */
export function workSession(input: SessionInput, worker: SessionWorker): SessionOutcome {
  const { options, meter, sieve } = worker;
  const conversation = toConversation(parseTrainingMessages(input.messages), {
    maxToolOutputChars: options.maxToolOutputChars,
  });
  const { session } = input;
  const masked: RedactionCounts = {};
  const record: SessionRecord = {
    session: session.id,
    source: session.source,
    agent: input.agent,
    domain: input.domain,
    tier: input.tier,
    // Titles are written only in the JSON document: there they pass the secret gate too.
    title:
      session.title === null || options.format !== 'json'
        ? session.title
        : sieve.maskText(session.title, masked),
    startedAt: session.startedAt,
    messages: input.messages.length,
    sha256: input.sha256,
    examples: 0,
  };
  const examples = examplesOf({ session, conversation, options, meter });
  return {
    record,
    badInput: conversation.badInput,
    excluded: conversation.excluded,
    judgements: examples.map((e) => sieve.judge(e)),
    masked,
  };
}
