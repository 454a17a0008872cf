import { describe, expect, it } from 'vitest';
import { parseHookInput } from '../../src/capture/hooks/hook-input.ts';

describe('parseHookInput', () => {
  it('reads the transcripts of a SubagentStop, the sub-agent first', () => {
    const input = parseHookInput(
      JSON.stringify({
        session_id: 's1',
        transcript_path: '/h/.claude/projects/p/s1.jsonl',
        agent_transcript_path: '/h/.claude/projects/p/s1/subagents/agent-x.jsonl',
        cwd: '/work',
        hook_event_name: 'SubagentStop',
        permission_mode: 'default',
      }),
      '/h',
    );
    expect(input).toEqual({
      event: 'SubagentStop',
      sessionId: 's1',
      transcripts: ['/h/.claude/projects/p/s1/subagents/agent-x.jsonl', '/h/.claude/projects/p/s1.jsonl'],
    });
  });

  it('expands ~ and resolves relative paths against the cwd', () => {
    const tilde = parseHookInput(
      JSON.stringify({ transcript_path: '~/.claude/projects/p/s.jsonl' }),
      '/home/u',
    );
    expect(tilde.transcripts).toEqual(['/home/u/.claude/projects/p/s.jsonl']);
    const relative = parseHookInput(
      JSON.stringify({ transcript_path: 'chats/s.json', cwd: '/w' }),
      '/home/u',
    );
    expect(relative.transcripts).toEqual(['/w/chats/s.json']);
  });

  it("accepts Codex's notify argument, which names the thread but no file", () => {
    const notify = JSON.stringify({
      type: 'agent-turn-complete',
      'thread-id': '019e1625-789d-76c0-80ab-3724b5ddb799',
      'turn-id': '3',
      cwd: '/w',
      'input-messages': ['hi'],
      'last-assistant-message': 'hello',
    });
    expect(parseHookInput(notify, '/h')).toEqual({
      event: 'agent-turn-complete',
      sessionId: '019e1625-789d-76c0-80ab-3724b5ddb799',
      transcripts: [],
    });
  });

  it('says what is wrong with input it cannot use', () => {
    expect(() => parseHookInput('', '/h')).toThrow('hook input is not JSON');
    expect(() => parseHookInput('[]', '/h')).toThrow('hook input: (root)');
    expect(() => parseHookInput('{"transcript_path": 7}', '/h')).toThrow('hook input: transcript_path');
    expect(() => parseHookInput('{"cwd": "/w"}', '/h')).toThrow('neither transcript_path nor session_id');
  });
});
