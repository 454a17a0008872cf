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
const seed = 20260202;

/**
 * A Codex CLI home (`sessions/YYYY/MM/DD/rollout-<local stamp>-<thread id>.jsonl`) of at least
 * `sizeMb` MiB, shaped like real rollouts (shared/notes/transcript-formats.md §2): session_meta
 * with the system prompt, a turn_context per turn, response items with their event_msg mirrors,
 * encrypted reasoning, cumulative token_count events (each snapshot often twice) and compactions.
 */
export function codexCorpus(sizeMb: number, log: (line: string) => void = () => {}): SourceCorpus {
  return cachedCorpus('codex', sizeMb, { generatorVersion, seed }, generateCodexCorpus, log);
}

export function generateCodexCorpus(dir: string, targetBytes: number): SourceCorpus {
  const r = new Random(seed);
  const root = join(dir, 'codex-home');
  const cwds = projectNames.map((name, i) =>
    i % 3 === 2 ? `/Users/sam/code/${name}` : `/home/dev/work/${name}`,
  );
  // One system prompt per CLI version, as the real CLI ships it: ~20 KB repeated in every rollout.
  const instructions = [prose(r, 160), prose(r, 180)];
  let bytes = 0;
  let sessions = 0;
  let clock = Date.UTC(2026, 2, 1);
  while (bytes < targetBytes) {
    clock += r.int(60_000, 8 * 3_600_000);
    const cwd = cwds[Math.min(cwds.length - 1, Math.floor(r.next() ** 2 * cwds.length))]!;
    bytes += new CodexRollout(r, root, cwd, clock, r.pick(instructions)).write(r.skewed(4, 0.9, 60));
    sessions++;
  }
  return { dir, root, bytes, files: countFiles(root), sessions };
}

type Usage = {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
};

class CodexRollout {
  private readonly file: JsonlFile;
  private readonly threadId: string;
  private readonly model: string;
  private now: number;
  private total: Usage = {
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
    total_tokens: 0,
  };
  private context = 12_000;

  private readonly r: Random;
  private readonly cwd: string;
  private readonly instructions: string;

  constructor(r: Random, root: string, cwd: string, startMs: number, instructions: string) {
    this.r = r;
    this.cwd = cwd;
    this.instructions = instructions;
    this.now = startMs;
    this.threadId = uuidV7(r, startMs);
    this.model = r.pick(['gpt-5.5', 'gpt-5.3-codex', 'gpt-5.5', 'gpt-5.4-mini']);
    const d = new Date(startMs);
    const p = (n: number) => String(n).padStart(2, '0');
    const day = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
    const stamp = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
    this.file = new JsonlFile(join(root, 'sessions', day, `rollout-${stamp}-${this.threadId}.jsonl`));
  }

  write(turns: number): number {
    const r = this.r;
    this.line('session_meta', {
      id: this.threadId,
      timestamp: this.iso(),
      cwd: this.cwd,
      originator: r.pick(['codex-tui', 'codex_cli_rs', 'codex_exec']),
      cli_version: r.pick(['0.121.0', '0.125.0', '0.128.0']),
      source: 'cli',
      model_provider: 'openai',
      base_instructions: { text: this.instructions },
      git: {
        commit_hash: r.hex(40),
        branch: r.pick(['main', `feature/${r.hex(4)}`]),
        repository_url: `git@github.com:sam/${this.cwd.split('/').at(-1)}.git`,
      },
    });
    for (let turn = 0; turn < turns; turn++) {
      // About one long session in eight is compacted once, as Codex does near the context limit.
      if (turn > 3 && r.chance(0.04)) this.compact();
      this.turn(turn === 0);
    }
    return this.file.close();
  }

  private turn(first: boolean): void {
    const r = this.r;
    const turnId = uuidV7(r, this.now);
    this.event({
      type: 'task_started',
      turn_id: turnId,
      started_at: Math.floor(this.now / 1000),
      model_context_window: 258400,
      collaboration_mode_kind: 'default',
    });
    if (first) {
      this.item({
        type: 'message',
        role: 'developer',
        content: [
          {
            type: 'input_text',
            text: `<permissions instructions>\n${prose(r, 12)}\n</permissions instructions>`,
          },
        ],
      });
      this.item({
        type: 'message',
        role: 'user',
        content: [
          {
            type: 'input_text',
            text: `# AGENTS.md instructions for ${this.cwd}\n\n<INSTRUCTIONS>\n${prose(r, 25)}\n</INSTRUCTIONS>`,
          },
          {
            type: 'input_text',
            text: `<environment_context>\n  <cwd>${this.cwd}</cwd>\n  <shell>zsh</shell>\n</environment_context>`,
          },
        ],
      });
    }
    this.turnContext(turnId);
    const prompt = prose(r, r.skewed(2, 0.7, 12));
    this.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] });
    this.event({ type: 'user_message', message: prompt, images: [], local_images: [], text_elements: [] });
    const steps = r.skewed(5, 0.8, 40);
    let last = '';
    for (let step = 0; step < steps; step++) {
      this.reasoning();
      if (r.chance(0.3)) last = this.assistant('commentary', prose(r, r.int(1, 3)));
      this.toolCall();
    }
    this.reasoning();
    last = this.assistant('final_answer', prose(r, r.skewed(5, 0.7, 30)));
    this.event({
      type: 'task_complete',
      turn_id: turnId,
      last_agent_message: last,
      duration_ms: r.int(3_000, 600_000),
      time_to_first_token_ms: r.int(400, 9_000),
    });
  }

  private turnContext(turnId: string): void {
    this.line('turn_context', {
      turn_id: turnId,
      cwd: this.cwd,
      current_date: this.iso().slice(0, 10),
      timezone: 'Europe/Vilnius',
      approval_policy: 'on-request',
      sandbox_policy: {
        type: 'workspace-write',
        writable_roots: [],
        network_access: false,
        exclude_tmpdir_env_var: false,
        exclude_slash_tmp: false,
      },
      model: this.model,
      effort: this.r.pick(['medium', 'high', 'xhigh']),
      summary: 'auto',
      truncation_policy: { mode: 'tokens', limit: 10000 },
    });
  }

  private reasoning(): void {
    const r = this.r;
    this.item({
      type: 'reasoning',
      summary: r.chance(0.2) ? [{ type: 'summary_text', text: `**${sentence(r)}**\n\n${prose(r, 2)}` }] : [],
      content: null,
      encrypted_content: `gAAAAAB${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', r.skewed(1400, 0.6, 12_000))}=`,
    });
  }

  private assistant(phase: 'commentary' | 'final_answer', text: string): string {
    this.event({ type: 'agent_message', message: text, phase, memory_citation: null });
    this.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }], phase });
    this.tokenCount();
    return text;
  }

  private toolCall(): void {
    const r = this.r;
    const callId = `call_${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 24)}`;
    const kind = r.int(0, 9);
    let name = 'exec_command';
    let args: unknown;
    let output: string;
    if (kind <= 4) {
      const cmd = r.chance(0.5) ? `sed -n '1,${r.int(80, 260)}p' ${filePath(r, this.cwd)}` : shellCommand(r);
      args = { cmd, workdir: this.cwd, yield_time_ms: 1000, max_output_tokens: 12000 };
      const body = cmd.startsWith('sed')
        ? codeFile(r, r.skewed(60, 0.6, 260))
        : commandOutput(r, r.skewed(20, 0.8, 200), this.cwd);
      output = `Chunk ID: ${r.hex(6)}\nWall time: ${(r.next() * 3).toFixed(4)} seconds\nProcess exited with code ${r.chance(0.85) ? 0 : 1}\nOriginal token count: ${Math.round(body.length / 4)}\nOutput:\n${body}`;
    } else if (kind <= 6) {
      args = {
        cmd: `rg -n "${r.pick(['TODO', 'import', 'export function', 'config'])}" ${r.pick(['src', 'test', '.'])}`,
        workdir: this.cwd,
      };
      output = `Chunk ID: ${r.hex(6)}\nWall time: 0.0${r.int(100, 999)} seconds\nProcess exited with code 0\nOutput:\n${grepOutput(r, r.skewed(12, 0.8, 120), this.cwd)}`;
    } else if (kind === 7) {
      name = 'apply_patch';
      const path = filePath(r, this.cwd);
      args = {
        input: `*** Begin Patch\n*** Update File: ${path}\n@@\n-${sentence(r)}\n+${codeFile(r, r.int(3, 30)).replace(/\n/g, '\n+')}\n*** End Patch`,
      };
      output = `{"output":"Success. Updated the following files:\\nM ${path}\\n","metadata":{"exit_code":0,"duration_seconds":0.0}}`;
    } else if (kind === 8) {
      name = 'update_plan';
      args = {
        plan: [0, 1, 2].map((i) => ({
          step: sentence(r),
          status: i === 0 ? 'completed' : i === 1 ? 'in_progress' : 'pending',
        })),
      };
      output = 'Plan updated';
    } else {
      name = 'write_stdin';
      args = { session_id: r.int(1000, 99999), chars: '', yield_time_ms: 1000, max_output_tokens: 12000 };
      output = `Chunk ID: ${r.hex(6)}\nWall time: 5.0${r.int(100, 999)} seconds\nProcess running with session ID ${r.int(1000, 99999)}\nOutput:\n`;
    }
    // apply_patch is a freeform tool in current Codex: raw patch text in, not a JSON string.
    const custom = name === 'apply_patch';
    if (custom)
      this.item({
        type: 'custom_tool_call',
        status: 'completed',
        call_id: callId,
        name,
        input: (args as { input: string }).input,
      });
    else this.item({ type: 'function_call', name, arguments: JSON.stringify(args), call_id: callId });
    this.tokenCount();
    this.tick(r.int(200, 20_000));
    this.item({ type: custom ? 'custom_tool_call_output' : 'function_call_output', call_id: callId, output });
    this.context += Math.round(output.length / 4);
  }

  /** Cumulative totals plus the last request's usage; Codex often writes the same snapshot twice. */
  private tokenCount(): void {
    const r = this.r;
    const cached = Math.floor(this.context * r.pick([0, 0.9, 0.95, 0.98]));
    const output = r.skewed(180, 0.9, 8000);
    const reasoning = Math.floor(output * r.next() * 0.6);
    const last: Usage = {
      input_tokens: this.context,
      cached_input_tokens: cached,
      output_tokens: output,
      reasoning_output_tokens: reasoning,
      total_tokens: this.context + output,
    };
    const t = this.total;
    this.total = {
      input_tokens: t.input_tokens + last.input_tokens,
      cached_input_tokens: t.cached_input_tokens + last.cached_input_tokens,
      output_tokens: t.output_tokens + last.output_tokens,
      reasoning_output_tokens: t.reasoning_output_tokens + last.reasoning_output_tokens,
      total_tokens: t.total_tokens + last.total_tokens,
    };
    this.context += output;
    const snapshot = {
      type: 'token_count',
      info: { total_token_usage: this.total, last_token_usage: last, model_context_window: 258400 },
      rate_limits: {
        primary: {
          used_percent: r.int(0, 90),
          window_minutes: 300,
          resets_at: Math.floor(this.now / 1000) + 9000,
        },
        secondary: null,
        credits: null,
        plan_type: 'plus',
      },
    };
    this.event(snapshot);
    if (r.chance(0.3)) this.event(snapshot);
  }

  /** Local compaction: the summary and the history the model sees from here on, then a fresh turn_context. */
  private compact(): void {
    const r = this.r;
    const summary = prose(r, r.int(8, 20));
    this.line('compacted', {
      message: summary,
      replacement_history: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: prose(r, 2) }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: summary }] },
      ],
    });
    this.event({ type: 'context_compacted' });
    this.context = 9_000;
  }

  private item(payload: unknown): void {
    this.line('response_item', payload);
  }

  private event(payload: unknown): void {
    this.line('event_msg', payload);
  }

  private line(type: string, payload: unknown): void {
    this.tick(this.r.int(5, 4_000));
    this.file.write({ timestamp: this.iso(), type, payload });
  }

  private tick(ms: number): void {
    this.now += ms;
  }

  private iso(): string {
    return new Date(this.now).toISOString();
  }
}

/** Codex thread and turn ids are UUIDv7: the first 48 bits are the time in milliseconds. */
function uuidV7(r: Random, ms: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const h = r.hex(20);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${h.slice(0, 3)}-${'89ab'[r.int(0, 3)]}${h.slice(3, 6)}-${h.slice(6, 18)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  codexCorpus(sizeArg(process.argv), (line) => console.log(line));
