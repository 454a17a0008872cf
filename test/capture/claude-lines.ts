/**
 * Synthetic Claude Code transcript lines, shaped like the real ones (one JSON object per line,
 * uuid/parentUuid chain, assistant usage): enough to follow a session as it is written.
 */
export function claudeSessionLines(sessionId: string, turns: number, cwd = '/tmp/live'): string[] {
  const lines: string[] = [];
  let parent: string | null = null;
  const start = Date.parse('2026-03-02T10:00:00.000Z');
  for (let turn = 0; turn < turns; turn++) {
    const userId = uuid(sessionId, turn * 2);
    const assistantId = uuid(sessionId, turn * 2 + 1);
    const envelope = { isSidechain: false, userType: 'external', cwd, sessionId, version: '2.1.40' };
    lines.push(
      JSON.stringify({
        parentUuid: parent,
        ...envelope,
        type: 'user',
        message: { role: 'user', content: `Question ${turn}: what does step ${turn} do?` },
        uuid: userId,
        timestamp: new Date(start + turn * 2000).toISOString(),
      }),
    );
    lines.push(
      JSON.stringify({
        parentUuid: userId,
        ...envelope,
        message: {
          model: 'claude-sonnet-4-5-20250929',
          id: `msg_${sessionId.slice(0, 8)}_${turn}`,
          type: 'message',
          role: 'assistant',
          // Long enough that writing a line in two parts splits real content.
          content: [{ type: 'text', text: `Step ${turn} ${'prepares the data and checks it. '.repeat(8)}` }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 10 + turn, cache_read_input_tokens: 100, output_tokens: 20 + turn },
        },
        requestId: `req_${sessionId.slice(0, 8)}_${turn}`,
        type: 'assistant',
        uuid: assistantId,
        timestamp: new Date(start + turn * 2000 + 1000).toISOString(),
      }),
    );
    parent = assistantId;
  }
  return lines;
}

function uuid(sessionId: string, n: number): string {
  return `${sessionId.slice(0, 8)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
