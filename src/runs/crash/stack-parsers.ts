export type StackFrame = { file: string; line: number | null; function: string | null };

/** An exception read from a log: its type, message, frames (outermost first) and the lines shown. */
export type ParsedException = { type: string; message: string; frames: StackFrame[]; excerpt: string };

const tracebackStart = /^\s*Traceback \(most recent call last\):\s*$/;
const pythonFrame = /^\s*File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const exceptionLine = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
const maxExcerptLines = 40;

/** The last Python traceback of the lines (the one that ended the program), or null. */
export function parsePythonTraceback(lines: readonly string[]): ParsedException | null {
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (tracebackStart.test(lines[i]!)) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  const frames: StackFrame[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const frame = pythonFrame.exec(line);
    if (frame) {
      frames.push({ file: frame[1]!, line: Number(frame[2]), function: frame[3] ?? null });
      continue;
    }
    // Source lines, `^^^^` markers and elisions are indented; the exception line is not.
    if (line.trim().length === 0 || /^\s/.test(line)) continue;
    break;
  }
  const head = exceptionLine.exec(lines[i] ?? '');
  if (!head) return null;
  const message = [head[2] ?? ''];
  let end = i + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end]!) && message.length < 10)
    message.push(lines[end++]!.trim());
  return {
    type: head[1]!,
    message: message.join('\n').trim(),
    frames,
    excerpt: clip(lines.slice(start, end)),
  };
}

const nodeHead =
  /^\s*(?:Uncaught\s+)?([A-Z]\w*(?:Error|Exception)|Error)(?:\s*\[([A-Z0-9_]+)\])?(?::\s?(.*))?$/;
const nodeFrame = /^\s+at\s+(?:async\s+)?(?:(.+?)\s+\()?(.+?):(\d+):\d+\)?\s*$/;
const nodeFrameNoLine = /^\s+at\s+(?:async\s+)?(?:(.+?)\s+\()?([^():]+)\)?\s*$/;

/** The last Node.js error with a stack (`Error: ...` followed by `    at ...` lines), or null. */
export function parseNodeStack(lines: readonly string[]): ParsedException | null {
  for (let i = lines.length - 2; i >= 0; i--) {
    const head = nodeHead.exec(lines[i]!);
    if (!head || !/^\s+at\s/.test(lines[i + 1]!)) continue;
    const frames: StackFrame[] = [];
    let end = i + 1;
    for (; end < lines.length && /^\s+at\s/.test(lines[end]!); end++) {
      const frame = nodeFrame.exec(lines[end]!) ?? nodeFrameNoLine.exec(lines[end]!);
      if (frame)
        frames.push({
          file: frame[2]!,
          line: frame[3] ? Number(frame[3]) : null,
          function: frame[1] ?? null,
        });
    }
    // Node prints the throwing source line and a caret above the error: keep them in the excerpt.
    const from = Math.max(0, lines[i - 1]?.trim() === '' ? i - 4 : i);
    return {
      type: head[2] ? `${head[1]} [${head[2]}]` : head[1]!,
      message: (head[3] ?? '').trim(),
      frames: frames.reverse(),
      excerpt: clip(lines.slice(from, end)),
    };
  }
  return null;
}

function clip(lines: readonly string[]): string {
  const kept =
    lines.length <= maxExcerptLines
      ? lines
      : [...lines.slice(0, 5), `    ... (${lines.length - 25} lines)`, ...lines.slice(-20)];
  return kept.join('\n').trim();
}
