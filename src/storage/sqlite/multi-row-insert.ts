import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

/** Rows per statement: few enough bound values (SQLite allows 32766), many enough to amortise a call. */
const rowsPerStatement = 64;

/**
 * Inserts many rows of one shape with one statement call per chunk: node:sqlite costs a few
 * microseconds per call, more than the B-tree work for the small rows of the enrichment tables.
 * Rows are queued until `flush`, which the owner calls inside its transaction.
 */
export class MultiRowInsert {
  private readonly db: DatabaseSync;
  private readonly head: string;
  private readonly tail: string;
  private readonly width: number;
  private readonly tuple: string;
  private readonly statements = new Map<number, StatementSync>();
  private values: SQLInputValue[] = [];

  /** `head` is `INSERT INTO t (a, b)`; `tail` what follows the VALUES list (an ON CONFLICT clause). */
  constructor(db: DatabaseSync, head: string, width: number, tail = '') {
    this.db = db;
    this.head = head;
    this.tail = tail;
    this.width = width;
    this.tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  }

  /** Queues one row: exactly `width` values, in column order. */
  add(...row: SQLInputValue[]): void {
    for (const value of row) this.values.push(value);
  }

  flush(): void {
    const values = this.values;
    if (values.length === 0) return;
    this.values = [];
    const chunk = rowsPerStatement * this.width;
    for (let start = 0; start < values.length; start += chunk) {
      const part = values.length - start > chunk ? values.slice(start, start + chunk) : values.slice(start);
      this.statementFor(part.length / this.width).run(...part);
    }
  }

  /** Drops queued rows (the transaction they belonged to rolled back). */
  clear(): void {
    this.values = [];
  }

  private statementFor(rows: number): StatementSync {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      const list = new Array<string>(rows).fill(this.tuple).join(', ');
      statement = this.db.prepare(`${this.head} VALUES ${list} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
