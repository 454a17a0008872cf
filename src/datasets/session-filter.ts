import { parseTimePoint } from '../analytics/time-window.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { Session } from '../domain/session.ts';

/**
 * The session filter of `dataset create --filter` (docs/DATASETS.md): clauses joined by `and`,
 * each `field op value`. Text fields take `=`, `!=` (a comma list means any of) and `~`
 * (contains, any case); `messages` takes every comparison; `since` and `until` bound the start
 * time (until exclusive), `started` compares it.
 *
 *   source=claude-code and messages>=4 and since=2026-01-01
 *   source=claude-code,codex and title~"refactor" and status!=failed
 */
export type SessionFilter = {
  /** The text as given, for reports. */
  text: string;
  clauses: Clause[];
  /** Whether a clause needs the session's enrichment labels (domain, tier). */
  needsLabels: boolean;
};

const textFields = ['source', 'status', 'model', 'title', 'cwd', 'branch', 'id', 'domain', 'tier'] as const;
const numberFields = ['messages'] as const;
const timeFields = ['since', 'until', 'started'] as const;
type TextField = (typeof textFields)[number];
type Field = TextField | (typeof numberFields)[number] | (typeof timeFields)[number];
type Op = '=' | '!=' | '>=' | '<=' | '>' | '<' | '~';

export type Clause =
  | { field: TextField; op: '=' | '!=' | '~'; values: string[] }
  | { field: 'messages' | 'since' | 'until' | 'started'; op: Op; value: number };

const example = 'Example: source=claude-code and messages>=4 and since=2026-01-01';
const fieldList = [...textFields, ...numberFields, ...timeFields].join(', ');

function syntaxError(text: string, column: number, what: string): AgentlogError {
  return new AgentlogError('INVALID_ARGUMENT', `Bad filter at column ${column + 1}: ${what}.`, {
    hint: `${text}\n  ${' '.repeat(column)}^\n  Fields: ${fieldList}. ${example}`,
  });
}

/** Parses a filter expression; a syntax error says where and what was expected. */
export function parseSessionFilter(text: string, now: number): SessionFilter {
  const scanner = new Scanner(text);
  const clauses: Clause[] = [];
  scanner.skipSpace();
  if (scanner.done()) throw syntaxError(text, 0, 'the filter is empty');
  for (;;) {
    clauses.push(parseClause(scanner, now));
    scanner.skipSpace();
    if (scanner.done()) break;
    const at = scanner.at;
    const word = scanner.word();
    if (word.toLowerCase() !== 'and')
      throw syntaxError(text, at, `expected "and" between clauses, found "${word}"`);
    scanner.skipSpace();
  }
  return { text, clauses, needsLabels: clauses.some((c) => c.field === 'domain' || c.field === 'tier') };
}

function parseClause(scanner: Scanner, now: number): Clause {
  const text = scanner.text;
  const fieldAt = scanner.at;
  const name = scanner.word();
  if (name.length === 0) throw syntaxError(text, fieldAt, 'expected a field name');
  const field = [...textFields, ...numberFields, ...timeFields].find((f) => f === name.toLowerCase()) as
    Field | undefined;
  if (field === undefined) throw syntaxError(text, fieldAt, `unknown field "${name}"`);
  scanner.skipSpace();
  const opAt = scanner.at;
  const op = scanner.operator();
  if (op === null)
    throw syntaxError(text, opAt, `expected an operator (=, !=, >=, <=, >, <, ~) after "${name}"`);
  scanner.skipSpace();
  const valueAt = scanner.at;
  const raw = scanner.value();
  if (raw === null) throw syntaxError(text, valueAt, `expected a value after "${name}${op}"`);
  if ((textFields as readonly string[]).includes(field)) {
    if (op !== '=' && op !== '!=' && op !== '~')
      throw syntaxError(text, opAt, `"${field}" takes =, != or ~, not ${op}`);
    return { field: field as TextField, op, values: raw.split(',').map((v) => v.trim()) };
  }
  if (op === '~') throw syntaxError(text, opAt, `"${field}" takes a comparison, not ~`);
  if (field === 'messages') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw syntaxError(text, valueAt, `"messages" takes a whole number, not "${raw}"`);
    return { field, op, value: n };
  }
  if ((field === 'since' || field === 'until') && op !== '=')
    throw syntaxError(text, opAt, `write ${field}=DATE (or started${op}DATE)`);
  try {
    return { field: field as 'since' | 'until' | 'started', op, value: parseTimePoint(raw, field, now) };
  } catch {
    throw syntaxError(
      text,
      valueAt,
      `"${raw}" is not a date (2026-01-31), a date-time, epoch ms or a duration ago (7d)`,
    );
  }
}

class Scanner {
  readonly text: string;
  at = 0;

  constructor(text: string) {
    this.text = text;
  }

  done(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (!this.done() && /\s/.test(this.text[this.at]!)) this.at++;
  }

  word(): string {
    const start = this.at;
    while (!this.done() && /[A-Za-z_]/.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  operator(): Op | null {
    for (const op of ['!=', '>=', '<=', '=', '>', '<', '~'] as const)
      if (this.text.startsWith(op, this.at)) {
        this.at += op.length;
        return op;
      }
    return null;
  }

  /** A bare value (up to white space) or a "quoted" one (\" inside). */
  value(): string | null {
    if (this.text[this.at] === '"') {
      let out = '';
      for (let i = this.at + 1; i < this.text.length; i++) {
        const ch = this.text[i]!;
        if (ch === '\\' && i + 1 < this.text.length) out += this.text[++i];
        else if (ch === '"') {
          this.at = i + 1;
          return out;
        } else out += ch;
      }
      throw syntaxError(this.text, this.at, 'the quoted value is not closed');
    }
    const start = this.at;
    while (!this.done() && !/\s/.test(this.text[this.at]!)) this.at++;
    return this.at > start ? this.text.slice(start, this.at) : null;
  }
}

/** What a clause compares: the session's fields, and its top enrichment labels when asked. */
export type FilterSubject = { session: Session; labels?: Record<string, string | null> };

export function matchesFilter(filter: SessionFilter, subject: FilterSubject): boolean {
  return filter.clauses.every((clause) => matchesClause(clause, subject));
}

function matchesClause(clause: Clause, { session, labels }: FilterSubject): boolean {
  if ('values' in clause) {
    const have = textValues(clause.field, session, labels);
    if (clause.op === '~') {
      const lower = have.map((h) => h.toLowerCase());
      return clause.values.some((v) => lower.some((h) => h.includes(v.toLowerCase())));
    }
    const any = clause.values.some((v) => have.includes(v));
    return clause.op === '=' ? any : !any;
  }
  const actual = clause.field === 'messages' ? session.messageCount : session.startedAt;
  if (actual === null) return false;
  if (clause.field === 'since') return actual >= clause.value;
  if (clause.field === 'until') return actual < clause.value;
  return compare(actual, clause.op, clause.value);
}

function textValues(field: TextField, session: Session, labels?: Record<string, string | null>): string[] {
  const one = (v: string | null | undefined) => (v === null || v === undefined ? [] : [v]);
  switch (field) {
    case 'source':
      return [session.source];
    case 'status':
      return [session.status];
    case 'model':
      return session.models;
    case 'title':
      return one(session.title);
    case 'cwd':
      return one(session.cwd);
    case 'branch':
      return one(session.gitBranch);
    case 'id':
      return [session.id, session.externalId];
    case 'domain':
    case 'tier':
      return one(labels?.[field]);
    default:
      return field satisfies never;
  }
}

function compare(actual: number, op: Op, value: number): boolean {
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '>=':
      return actual >= value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '<':
      return actual < value;
    default:
      return false;
  }
}

/** The store query a filter narrows to (source, status, start time); the rest is checked per session. */
export function narrowingOf(filter: SessionFilter): {
  source?: string;
  status?: Session['status'];
  since?: number;
  until?: number;
} {
  const out: { source?: string; status?: Session['status']; since?: number; until?: number } = {};
  for (const c of filter.clauses) {
    if ('values' in c && c.op === '=' && c.values.length === 1) {
      if (c.field === 'source') out.source = c.values[0]!;
      if (c.field === 'status') out.status = c.values[0] as Session['status'];
    }
    if (c.field === 'since' && 'value' in c) out.since = Math.max(out.since ?? -Infinity, c.value);
    if (c.field === 'until' && 'value' in c) out.until = Math.min(out.until ?? Infinity, c.value);
  }
  return out;
}
