import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedCorpus, countFiles, sizeArg, type SourceCorpus } from './corpus/cached-corpus.ts';
import { JsonlFile } from './corpus/jsonl-file.ts';
import { Random } from './corpus/random.ts';
import {
  codeFile,
  commandOutput,
  filePath,
  grepOutput,
  projectNames,
  prose,
  sentence,
  shellCommand,
} from './corpus/text.ts';

/** Bump when the generator's output changes, so cached corpora are rebuilt. */
const generatorVersion = 1;
const seed = 20260303;

type Obj = Record<string, unknown>;

/**
 * A Gemini CLI `tmp/` tree (`tmp/<sha256 of project root>/chats/session-<stamp>-<id8>.jsonl`) of at
 * least `sizeMb` MiB, shaped like real chats (shared/notes/transcript-formats.md §3): mostly the
 * append-only JSON Lines format, where a message is appended again each time it changes (tool
 * calls scheduled, then their results) and `$set` lines update the header, plus about one chat in
 * seven in the legacy whole-document `.json` format, pretty-printed as the CLI wrote it.
 */
export function geminiCorpus(sizeMb: number, log: (line: string) => void = () => {}): SourceCorpus {
  return cachedCorpus('gemini', sizeMb, { generatorVersion, seed }, generateGeminiCorpus, log);
}

export function generateGeminiCorpus(dir: string, targetBytes: number): SourceCorpus {
  const r = new Random(seed);
  const root = join(dir, 'gemini-tmp');
  const cwds = projectNames.map((name, i) =>
    i % 3 === 2 ? `/Users/sam/code/${name}` : `/home/dev/work/${name}`,
  );
  let bytes = 0;
  let sessions = 0;
  let clock = Date.UTC(2026, 0, 5);
  while (bytes < targetBytes) {
    clock += r.int(60_000, 8 * 3_600_000);
    const cwd = cwds[Math.min(cwds.length - 1, Math.floor(r.next() ** 2 * cwds.length))]!;
    const chat = new GeminiChat(r, cwd, clock);
    const turns = r.skewed(4, 0.9, 50);
    bytes += r.chance(0.15) ? chat.writeLegacy(root, turns) : chat.writeJsonl(root, turns);
    sessions++;
  }
  return { dir, root, bytes, files: countFiles(root), sessions };
}

const tools = [
  {
    name: 'read_file',
    displayName: 'ReadFile',
    description: 'Reads and returns the content of a specified file.',
  },
  {
    name: 'run_shell_command',
    displayName: 'Shell',
    description: 'Executes a given shell command as `bash -c <command>`.',
  },
  {
    name: 'search_file_content',
    displayName: 'SearchText',
    description: 'Searches for a regular expression pattern within the content of files.',
  },
  { name: 'replace', displayName: 'Edit', description: 'Replaces text within a file.' },
  {
    name: 'list_directory',
    displayName: 'ReadFolder',
    description: 'Lists the names of files and subdirectories directly within a specified directory path.',
  },
];

class GeminiChat {
  private readonly r: Random;
  private readonly cwd: string;
  private readonly sessionId: string;
  private readonly projectHash: string;
  private readonly model: string;
  private readonly start: number;
  private now: number;
  private context = 8_000;

  constructor(r: Random, cwd: string, startMs: number) {
    this.r = r;
    this.cwd = cwd;
    this.sessionId = r.uuid();
    this.projectHash = createHash('sha256').update(cwd).digest('hex');
    this.model = r.pick([
      'gemini-3-pro-preview',
      'gemini-2.5-pro',
      'gemini-3-flash-preview',
      'gemini-2.5-flash',
    ]);
    this.start = startMs;
    this.now = startMs;
  }

  /** The JSON Lines chat: every copy of a message as it changed, `$set` after each message. */
  writeJsonl(root: string, turns: number): number {
    const file = new JsonlFile(this.path(root, 'jsonl'));
    file.write({
      sessionId: this.sessionId,
      projectHash: this.projectHash,
      startTime: this.iso(),
      lastUpdated: this.iso(),
      kind: 'main',
    });
    for (let turn = 0; turn < turns; turn++) {
      for (const copies of this.turn(turn === 0)) {
        for (const copy of copies) file.write(copy);
        file.write({ $set: { lastUpdated: this.iso() } });
      }
    }
    if (this.r.chance(0.5)) file.write({ $set: { summary: sentence(this.r) } });
    return file.close();
  }

  /** The legacy chat: one document, rewritten whole, holding the last copy of every message. */
  writeLegacy(root: string, turns: number): number {
    const messages: Obj[] = [];
    for (let turn = 0; turn < turns; turn++) {
      for (const copies of this.turn(turn === 0)) {
        const last = copies.at(-1)!;
        // Legacy chats stored a user's prompt as a plain string.
        messages.push(
          last.type === 'user' ? { ...last, content: (last.content as { text: string }[])[0]!.text } : last,
        );
      }
    }
    const text = JSON.stringify(
      {
        sessionId: this.sessionId,
        projectHash: this.projectHash,
        startTime: new Date(this.start).toISOString(),
        lastUpdated: this.iso(),
        messages,
      },
      null,
      2,
    );
    const path = this.path(root, 'json');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return Buffer.byteLength(text);
  }

  /** One turn's messages, each as the list of copies the CLI appends while it changes. */
  private turn(first: boolean): Obj[][] {
    const r = this.r;
    const out: Obj[][] = [];
    if (first && r.chance(0.3))
      out.push([
        this.message('user', [
          {
            text: `<session_context>\nThis is the Gemini CLI. We are setting up the context for our chat.\nToday's date is ${this.iso().slice(0, 10)}.\nMy operating system is: linux\nI'm currently working in the directory: ${this.cwd}\n</session_context>`,
          },
        ]),
      ]);
    out.push([this.message('user', [{ text: prose(r, r.skewed(2, 0.7, 12)) }])]);
    if (r.chance(0.05)) out.push([this.message('info', `${sentence(r)}`)]);
    const steps = r.skewed(3, 0.8, 30);
    for (let step = 0; step < steps; step++) out.push(this.toolStep());
    out.push([{ ...this.message('gemini', prose(r, r.skewed(5, 0.7, 30))), ...this.modelFields() }]);
    return out;
  }

  /** A model message calling tools: first written bare, then with its calls scheduled, then with results. */
  private toolStep(): Obj[] {
    const r = this.r;
    const base = {
      ...this.message('gemini', r.chance(0.3) ? prose(r, r.int(1, 2)) : ''),
      ...this.modelFields(),
    };
    const calls = Array.from({ length: r.chance(0.2) ? 2 : 1 }, () =>
      this.toolCall(base.timestamp as string),
    );
    const scheduled = calls.map((c) => ({ ...c.call, status: 'executing' }));
    this.tick(r.int(200, 30_000));
    const done = calls.map((c) => c.done);
    return r.chance(0.5)
      ? [base, { ...base, toolCalls: scheduled }, { ...base, toolCalls: done }]
      : [base, { ...base, toolCalls: done }];
  }

  private toolCall(timestamp: string): { call: Obj; done: Obj } {
    const r = this.r;
    const tool = r.pick(tools);
    const id = `${tool.name}-${Date.parse(timestamp)}-${r.hex(13)}`;
    let args: Obj;
    let output: string;
    let display: string;
    switch (tool.name) {
      case 'read_file':
        args = { file_path: filePath(r, this.cwd) };
        output = codeFile(r, r.skewed(60, 0.6, 300));
        display = '';
        break;
      case 'run_shell_command':
        args = { command: shellCommand(r), description: sentence(r) };
        output = `Command: ${args.command as string}\nDirectory: (root)\nOutput: ${commandOutput(r, r.skewed(20, 0.8, 200), this.cwd)}\nError: (none)\nExit Code: ${r.chance(0.85) ? 0 : 1}\nSignal: (none)\nBackground PIDs: (none)\nProcess Group PGID: ${r.int(1000, 99999)}`;
        display = output.slice(0, 200);
        break;
      case 'search_file_content':
        args = {
          pattern: r.pick(['TODO', 'export function', 'import .* from', 'config']),
          dir_path: this.cwd,
        };
        output = grepOutput(r, r.skewed(12, 0.8, 120), this.cwd);
        display = `Found ${r.int(1, 120)} matches`;
        break;
      case 'replace':
        args = {
          file_path: filePath(r, this.cwd),
          old_string: codeFile(r, r.int(2, 12)),
          new_string: codeFile(r, r.int(2, 16)),
          instruction: sentence(r),
        };
        output = `Successfully modified file: ${args.file_path as string} (1 replacements).`;
        display = `--- a\n+++ b\n${codeFile(r, r.int(3, 20))}`;
        break;
      default:
        args = { dir_path: this.cwd };
        output = `Directory listing for ${this.cwd}:\n[DIR] src\n[DIR] test\npackage.json\nREADME.md\ntsconfig.json`;
        display = 'Listed 5 item(s).';
    }
    const failed = r.chance(0.06);
    const call = {
      id,
      name: tool.name,
      args,
      timestamp,
      displayName: tool.displayName,
      description: tool.description,
      renderOutputAsMarkdown: tool.name !== 'run_shell_command',
    };
    const response = failed ? { error: `${sentence(r)}` } : { output };
    this.context += Math.round(output.length / 4);
    return {
      call,
      done: {
        ...call,
        status: failed ? 'error' : 'success',
        result: [{ functionResponse: { id, name: tool.name, response } }],
        resultDisplay: display,
      },
    };
  }

  private message(type: string, content: unknown): Obj {
    this.tick(this.r.int(50, 20_000));
    return { id: this.r.uuid(), timestamp: this.iso(), type, content };
  }

  private modelFields(): Obj {
    const r = this.r;
    const output = r.skewed(150, 0.9, 6000);
    const thoughts = r.skewed(120, 1, 4000);
    const cached = Math.floor(this.context * r.pick([0, 0.7, 0.9]));
    const tokens = {
      input: this.context,
      output,
      cached,
      thoughts,
      tool: 0,
      total: this.context + output + thoughts,
    };
    this.context += output;
    return {
      thoughts: Array.from({ length: r.int(0, 3) }, () => ({
        subject: sentence(r).slice(0, 40),
        description: prose(r, r.int(1, 4)),
        timestamp: this.iso(),
      })),
      model: this.model,
      tokens,
    };
  }

  private path(root: string, ext: 'json' | 'jsonl'): string {
    const stamp = new Date(this.start).toISOString().slice(0, 16).replace(':', '-');
    return join(root, this.projectHash, 'chats', `session-${stamp}-${this.sessionId.slice(0, 8)}.${ext}`);
  }

  private tick(ms: number): void {
    this.now += ms;
  }

  private iso(): string {
    return new Date(this.now).toISOString();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  geminiCorpus(sizeArg(process.argv), (line) => console.log(line));
