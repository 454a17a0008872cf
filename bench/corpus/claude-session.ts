import { join } from 'node:path';
import { randomToolCall, type ToolCall } from './claude-tools.ts';
import { JsonlFile } from './jsonl-file.ts';
import type { Random } from './random.ts';
import { prose, sentence } from './text.ts';

/** Where a session lives and who writes it; sub-agents share the parent's session id and cwd. */
export type SessionSpec = {
  dir: string;
  sessionId: string;
  cwd: string;
  gitBranch: string;
  version: string;
  slug: string;
  model: string;
  startMs: number;
  /** Set for a sub-agent file (`<session>/subagents/agent-<id>.jsonl`). */
  agentId: string | null;
};

const compactAt = 160_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes one Claude Code transcript the way the CLI does: one line per content block of a model
 * response (sharing message id and request id, usage repeated and growing), tool results with
 * their `toolUseResult`, progress and snapshot lines, system events, sub-agents and compactions.
 */
export class ClaudeSessionWriter {
  /** Bytes written by this session and its sub-agents. */
  bytes = 0;
  private readonly r: Random;
  private readonly spec: SessionSpec;
  private readonly file: JsonlFile;
  private clock: number;
  private lastUuid: string | null = null;
  private context = 12_000;
  private readonly tracked: Record<string, unknown> = {};

  constructor(r: Random, spec: SessionSpec) {
    this.r = r;
    this.spec = spec;
    this.clock = spec.startMs;
    const name =
      spec.agentId === null
        ? `${spec.sessionId}.jsonl`
        : join(spec.sessionId, 'subagents', `agent-${spec.agentId}.jsonl`);
    this.file = new JsonlFile(join(spec.dir, name));
  }

  /** A main session of `turns` prompts, each answered after a few tool-using steps. */
  writeSession(turns: number): number {
    const r = this.r;
    if (r.chance(0.15)) {
      for (let i = r.int(1, 4); i > 0; i--)
        this.file.write({ type: 'summary', summary: sentence(r).slice(0, 70), leafUuid: r.uuid() });
    }
    this.progress(
      {
        type: 'hook_progress',
        hookEvent: 'SessionStart',
        hookName: 'SessionStart:startup',
        command: 'bd prime',
      },
      r.uuid(),
    );
    let prompt = '';
    for (let turn = 0; turn < turns; turn++) {
      this.clock += r.int(5_000, 600_000);
      prompt = prose(r, r.skewed(3, 0.8, 40));
      if (r.chance(0.04)) this.localCommand();
      this.userPrompt(prompt);
      this.turn(r.skewed(3, 0.9, 45));
      if (this.context > compactAt) this.compact();
    }
    this.file.write({
      type: 'last-prompt',
      lastPrompt: prompt.slice(0, 200),
      sessionId: this.spec.sessionId,
    });
    if (r.chance(0.5))
      this.file.write({
        type: 'ai-title',
        aiTitle: sentence(r).slice(0, 60),
        sessionId: this.spec.sessionId,
      });
    return this.close();
  }

  /** A sub-agent: one prompt from the parent's Task call, some steps, a final report. */
  writeSubagent(prompt: string, steps: number): { bytes: number; report: string; endMs: number } {
    this.userPrompt(prompt);
    const report = this.turn(steps);
    return { bytes: this.close(), report, endMs: this.clock };
  }

  private close(): number {
    this.bytes += this.file.close();
    return this.bytes;
  }

  private envelope(type: string, uuid: string): Record<string, unknown> {
    const s = this.spec;
    const out: Record<string, unknown> = {
      parentUuid: this.lastUuid,
      isSidechain: s.agentId !== null,
      userType: 'external',
      cwd: s.cwd,
      sessionId: s.sessionId,
      version: s.version,
      gitBranch: s.gitBranch,
    };
    if (s.agentId !== null) out.agentId = s.agentId;
    out.slug = s.slug;
    out.type = type;
    out.uuid = uuid;
    out.timestamp = iso(this.clock);
    return out;
  }

  private userPrompt(text: string): void {
    const r = this.r;
    const uuid = r.uuid();
    if (this.spec.agentId === null) {
      this.file.write({
        type: 'file-history-snapshot',
        messageId: uuid,
        snapshot: { messageId: uuid, trackedFileBackups: this.tracked, timestamp: iso(this.clock) },
        isSnapshotUpdate: false,
      });
    }
    const record = this.envelope('user', uuid);
    record.message = { role: 'user', content: text };
    record.thinkingMetadata = { maxThinkingTokens: 31999 };
    record.todos = [];
    record.permissionMode = r.pick(['default', 'acceptEdits', 'bypassPermissions']);
    this.emit(record, uuid);
    this.context += text.length >> 2;
  }

  /** Steps of tool use, then the final answer; returns the answer text. */
  private turn(steps: number): string {
    const r = this.r;
    for (let step = 0; step < steps; step++) {
      const calls: ToolCall[] = [];
      const parallel = r.chance(0.2) ? r.int(2, 4) : 1;
      for (let i = 0; i < parallel; i++) calls.push(randomToolCall(r, this.spec.cwd));
      const spawns = this.spec.agentId === null && r.chance(0.025);
      const ids = this.response(calls, spawns);
      if (spawns) this.spawnSubagent(ids.at(-1)!, ids.at(-2)!);
      this.toolResults(calls, ids);
    }
    const answer = prose(r, r.skewed(5, 0.8, 60));
    this.response([], false, answer);
    if (this.spec.agentId === null) {
      if (r.chance(0.5)) this.system('turn_duration', { durationMs: r.int(3_000, 900_000), isMeta: false });
      if (r.chance(0.1))
        this.system('stop_hook_summary', {
          hookCount: 1,
          hookInfos: [{ command: 'notify-done.sh' }],
          hookErrors: [],
          preventedContinuation: false,
          stopReason: '',
          hasOutput: false,
          level: 'suggestion',
        });
    }
    return answer;
  }

  /**
   * One model response, one line per content block (thinking, text, tool_use...), sharing message id
   * and request id; early lines carry placeholder output counts, the last the real one.
   * Returns the tool_use ids and, when `spawns`, the Task call's id and uuid at the end.
   */
  private response(calls: ToolCall[], spawns: boolean, answer?: string): string[] {
    const r = this.r;
    const blocks: Record<string, unknown>[] = [];
    if (r.chance(0.6))
      blocks.push({
        type: 'thinking',
        thinking: prose(r, r.skewed(4, 0.8, 40)),
        signature: r.chars(
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
          r.int(200, 600),
        ),
      });
    if (answer !== undefined) blocks.push({ type: 'text', text: answer });
    else if (r.chance(0.5)) blocks.push({ type: 'text', text: prose(r, r.int(1, 3)) });
    const ids: string[] = [];
    for (const call of calls) {
      const id = r.anthropicId('toolu');
      ids.push(id);
      blocks.push({ type: 'tool_use', id, name: call.name, input: call.input, caller: { type: 'direct' } });
    }
    let taskUuid = '';
    if (spawns) {
      const id = r.anthropicId('toolu');
      ids.push(id);
      blocks.push({
        type: 'tool_use',
        id,
        name: r.pick(['Task', 'Agent']),
        input: {
          description: sentence(r).slice(0, 40),
          prompt: prose(r, r.int(3, 10)),
          subagent_type: r.pick(['general-purpose', 'Explore', 'code-reviewer']),
        },
        caller: { type: 'direct' },
      });
    }
    const messageId = r.anthropicId('msg');
    const requestId = r.anthropicId('req');
    const cacheCreation = r.int(0, 6_000);
    const output = r.int(20, 2_500);
    let streamed = r.int(1, 8);
    for (let i = 0; i < blocks.length; i++) {
      const last = i === blocks.length - 1;
      const uuid = r.uuid();
      this.clock += r.int(200, 4_000);
      const record = this.envelope('assistant', uuid);
      delete record.type;
      delete record.uuid;
      delete record.timestamp;
      record.message = {
        model: this.spec.model,
        id: messageId,
        type: 'message',
        role: 'assistant',
        content: [blocks[i]],
        stop_reason: last && answer !== undefined ? 'end_turn' : null,
        stop_sequence: null,
        usage: {
          input_tokens: r.int(1, 12),
          cache_creation_input_tokens: cacheCreation,
          cache_read_input_tokens: this.context,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: cacheCreation },
          output_tokens: last ? output : Math.min(output, streamed),
          service_tier: 'standard',
        },
      };
      streamed += r.int(0, 40);
      record.requestId = requestId;
      record.type = 'assistant';
      record.uuid = uuid;
      record.timestamp = iso(this.clock);
      this.emit(record, uuid);
      if (spawns && last) taskUuid = uuid;
    }
    this.context += cacheCreation + output;
    if (spawns) ids.push(taskUuid);
    return ids;
  }

  private toolResults(calls: ToolCall[], ids: string[]): void {
    const r = this.r;
    const assistantUuid = this.lastUuid;
    // Parallel calls come back in one line about a third of the time, else one line each.
    const together = calls.length > 1 && r.chance(0.35);
    const groups = together ? [calls.map((_, i) => i)] : calls.map((_, i) => [i]);
    for (const group of groups) {
      const first = calls[group[0]!]!;
      const toolUseId = ids[group[0]!]!;
      if (first.name === 'Bash')
        for (let i = r.int(0, 4); i > 0; i--)
          this.progress({ type: 'bash_progress', output: sentence(r), elapsedTimeSeconds: i }, toolUseId);
      if (r.chance(0.6))
        this.progress(
          {
            type: 'hook_progress',
            hookEvent: 'PostToolUse',
            hookName: `PostToolUse:${first.name}`,
            command: 'format-on-save.sh',
          },
          toolUseId,
        );
      this.clock += r.int(50, 30_000);
      const uuid = r.uuid();
      const record = this.envelope('user', uuid);
      record.message = {
        role: 'user',
        content: group.map((i) => ({
          tool_use_id: ids[i],
          type: 'tool_result',
          content: calls[i]!.content,
          is_error: calls[i]!.isError,
        })),
      };
      record.toolUseResult = first.result;
      record.sourceToolAssistantUUID = assistantUuid;
      this.emit(record, uuid);
      for (const i of group) this.context += JSON.stringify(calls[i]!.content).length >> 2;
      if (first.name === 'Edit' || first.name === 'Write') {
        const path = (first.input as { file_path: string }).file_path;
        this.tracked[path] = {
          backupFileName: `${this.r.hex(16)}@v1`,
          version: 1,
          backupTime: iso(this.clock),
        };
      }
    }
  }

  private spawnSubagent(taskUuid: string, toolUseId: string): void {
    const r = this.r;
    const agentId = `a${r.hex(r.chance(0.5) ? 6 : 16)}`;
    const prompt = prose(r, r.int(3, 10));
    const startMs = this.clock;
    const child = new ClaudeSessionWriter(r, {
      ...this.spec,
      agentId,
      model: r.chance(0.5) ? 'claude-haiku-4-5-20251001' : this.spec.model,
      startMs: this.clock,
    });
    const { bytes, report, endMs } = child.writeSubagent(prompt, r.skewed(6, 0.7, 40));
    this.bytes += bytes;
    for (let i = r.int(1, 3); i > 0; i--) {
      this.progress(
        {
          type: 'agent_progress',
          agentId,
          prompt,
          message: {
            type: 'assistant',
            message: { role: 'assistant', content: [{ type: 'text', text: sentence(r) }] },
          },
        },
        toolUseId,
      );
    }
    this.clock = endMs + r.int(100, 2_000);
    const uuid = r.uuid();
    const content = [
      { type: 'text', text: report },
      { type: 'text', text: `agentId: ${agentId} (for resuming to continue this agent's work if needed)` },
    ];
    const record = this.envelope('user', uuid);
    record.message = { role: 'user', content: [{ tool_use_id: toolUseId, type: 'tool_result', content }] };
    record.toolUseResult = {
      status: 'completed',
      prompt,
      agentId,
      content,
      totalDurationMs: endMs - startMs,
      totalTokens: r.int(5_000, 90_000),
      totalToolUseCount: r.int(1, 40),
      usage: {
        input_tokens: r.int(1, 20),
        output_tokens: r.int(100, 3_000),
        cache_read_input_tokens: r.int(0, 80_000),
      },
    };
    record.sourceToolAssistantUUID = taskUuid;
    this.emit(record, uuid);
  }

  /** Auto-compaction: the summariser sub-agent, the boundary, and the summary the model continues from. */
  private compact(): void {
    const r = this.r;
    const summary = `This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\n\n${prose(r, r.int(30, 90))}`;
    const agentId = `acompact-${r.hex(6)}`;
    const child = new ClaudeSessionWriter(r, { ...this.spec, agentId, startMs: this.clock });
    this.bytes += child.writeCompaction(summary);
    const boundary = r.uuid();
    const logicalParent = this.lastUuid;
    this.lastUuid = null;
    const record = this.envelope('system', boundary);
    record.subtype = 'compact_boundary';
    record.content = 'Conversation compacted';
    record.isMeta = false;
    record.logicalParentUuid = logicalParent;
    record.level = 'info';
    record.compactMetadata = { trigger: 'auto', preTokens: this.context };
    this.emit(record, boundary);
    const uuid = r.uuid();
    const user = this.envelope('user', uuid);
    user.message = { role: 'user', content: summary };
    user.isCompactSummary = true;
    user.isVisibleInTranscriptOnly = true;
    this.emit(user, uuid);
    this.context = 15_000 + (summary.length >> 2);
  }

  private writeCompaction(summary: string): number {
    const uuid = this.r.uuid();
    const record = this.envelope('user', uuid);
    record.message = {
      role: 'user',
      content: 'Your task is to create a detailed summary of the conversation so far.',
    };
    record.isMeta = true;
    this.emit(record, uuid);
    this.response([], false, summary);
    return this.close();
  }

  private localCommand(): void {
    const uuid = this.r.uuid();
    const name = this.r.pick(['/model', '/cost', '/clear', '/context']);
    const record = this.envelope('system', uuid);
    record.subtype = 'local_command';
    record.content = `<command-name>${name}</command-name>\n<command-message>${name.slice(1)}</command-message>\n<command-args></command-args>`;
    record.level = 'info';
    record.isMeta = false;
    this.emit(record, uuid);
  }

  private system(subtype: string, fields: Record<string, unknown>): void {
    const uuid = this.r.uuid();
    this.clock += this.r.int(10, 500);
    const record = this.envelope('system', uuid);
    record.subtype = subtype;
    Object.assign(record, fields);
    this.emit(record, uuid);
  }

  private progress(data: Record<string, unknown>, toolUseId: string): void {
    const uuid = this.r.uuid();
    this.clock += this.r.int(20, 2_000);
    const record = this.envelope('progress', uuid);
    record.data = data;
    record.parentToolUseID = toolUseId;
    record.toolUseID = `${toolUseId}-p`;
    this.emit(record, uuid);
  }

  private emit(record: Record<string, unknown>, uuid: string): void {
    this.file.write(record);
    this.lastUuid = uuid;
  }
}
