import { z } from 'zod';
import type { Decision } from './crash-report.ts';
import type { Excerpt } from './rank-excerpts.ts';

const answerSchema = z.object({
  rootCause: z.string().min(1),
  decisions: z
    .array(
      z.object({
        excerpt: z.union([z.number().int(), z.string(), z.null()]).optional(),
        what: z.string().min(1),
        effect: z.string().nullish(),
      }),
    )
    .default([]),
  fix: z.string().min(1),
  confidence: z.enum(['high', 'medium', 'low']).nullish().catch(null),
});

export type ReadAnswer =
  | {
      ok: true;
      rootCause: string;
      decisions: Decision[];
      fix: string;
      confidence: 'high' | 'medium' | 'low' | null;
    }
  | { ok: false; reason: string };

/**
 * Reads the model's answer: one JSON object (a code fence or words around it are tolerated).
 * Anything else is a reason, and the built-in analysis stands in for it.
 */
export function readModelAnswer(text: string, excerpts: readonly Excerpt[]): ReadAnswer {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start)
    return { ok: false, reason: `the model answered without a JSON object: ${preview(text)}` };
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return { ok: false, reason: `the model answered malformed JSON: ${preview(text)}` };
  }
  const parsed = answerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `the model's answer lacks ${issue?.path.join('.') || 'the expected fields'}: ${preview(text)}`,
    };
  }
  const byNumber = new Map(excerpts.map((e) => [e.n, e]));
  const decisions = parsed.data.decisions.map((d): Decision => {
    const n = typeof d.excerpt === 'string' ? Number(d.excerpt.replace(/[^0-9]/g, '')) : (d.excerpt ?? null);
    const excerpt = n !== null && byNumber.has(n) ? n : null;
    return {
      excerpt,
      messageId: excerpt === null ? null : byNumber.get(excerpt)!.messageId,
      what: d.what,
      effect: d.effect ?? null,
    };
  });
  return {
    ok: true,
    rootCause: parsed.data.rootCause,
    decisions,
    fix: parsed.data.fix,
    confidence: parsed.data.confidence ?? null,
  };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat || '(empty)';
}
