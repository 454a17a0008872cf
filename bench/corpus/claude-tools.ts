import type { Random } from './random.ts';
import {
  codeFile,
  commandOutput,
  filePath,
  grepOutput,
  numbered,
  prose,
  sentence,
  shellCommand,
} from './text.ts';

/** One simulated tool call: what the model sent, and what came back (text block and `toolUseResult`). */
export type ToolCall = {
  name: string;
  input: Record<string, unknown>;
  /** The tool_result block's `content`. */
  content: unknown;
  isError: boolean;
  /** The sibling `toolUseResult` Claude Code writes beside the block: often richer (and bigger). */
  result: unknown;
};

type Tool = (r: Random, cwd: string) => ToolCall;

const read: Tool = (r, cwd) => {
  const path = filePath(r, cwd);
  if (r.chance(0.004)) return readImage(r, cwd);
  const lines = r.skewed(110, 0.9, 2500);
  const text = codeFile(r, lines);
  return {
    name: 'Read',
    input: { file_path: path },
    content: numbered(text),
    isError: false,
    result: {
      type: 'text',
      file: { filePath: path, content: text, numLines: lines, startLine: 1, totalLines: lines },
    },
  };
};

function readImage(r: Random, cwd: string): ToolCall {
  const bytes = Buffer.alloc(r.int(8_000, 60_000));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r.next() * 256);
  const data = bytes.toString('base64');
  const path = `${cwd}/docs/screenshot-${r.hex(6)}.png`;
  return {
    name: 'Read',
    input: { file_path: path },
    content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } }],
    isError: false,
    result: { type: 'image', file: { base64: data, type: 'image/png', originalSize: bytes.length } },
  };
}

const bash: Tool = (r, cwd) => {
  const command = shellCommand(r);
  const stdout = commandOutput(r, r.skewed(22, 1.1, 1500), cwd);
  const failed = r.chance(0.12);
  const content = failed ? `Exit code 1\n${stdout}` : stdout;
  return {
    name: 'Bash',
    input: { command, description: sentence(r).slice(0, 50), timeout: 120000 },
    content,
    isError: failed,
    result: failed ? `Error: ${content}` : { stdout, stderr: '', interrupted: false, isImage: false },
  };
};

const grep: Tool = (r, cwd) => {
  const matches = r.skewed(12, 1, 400);
  const text = grepOutput(r, matches, cwd);
  return {
    name: 'Grep',
    input: {
      pattern: `${r.pick(['load', 'parse', 'write', 'TODO', 'error'])}\\w+`,
      path: cwd,
      output_mode: 'content',
      '-n': true,
    },
    content: text,
    isError: false,
    result: {
      mode: 'content',
      numFiles: Math.ceil(matches / 3),
      filenames: [],
      content: text,
      numLines: matches,
    },
  };
};

const edit: Tool = (r, cwd) => {
  const path = filePath(r, cwd);
  const original = codeFile(r, r.skewed(140, 0.8, 1800));
  const oldString = codeFile(r, r.int(1, 12));
  const newString = codeFile(r, r.int(1, 16));
  const at = r.int(1, 300);
  return {
    name: 'Edit',
    input: { file_path: path, old_string: oldString, new_string: newString, replace_all: false },
    content: `The file ${path} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${numbered(newString, at)}`,
    isError: false,
    result: {
      filePath: path,
      oldString,
      newString,
      originalFile: original,
      structuredPatch: [
        {
          oldStart: at,
          oldLines: oldString.split('\n').length,
          newStart: at,
          newLines: newString.split('\n').length,
          lines: [...oldString.split('\n').map((l) => `-${l}`), ...newString.split('\n').map((l) => `+${l}`)],
        },
      ],
      userModified: false,
      replaceAll: false,
    },
  };
};

const write: Tool = (r, cwd) => {
  const path = filePath(r, cwd);
  const text = codeFile(r, r.skewed(80, 0.8, 900));
  return {
    name: 'Write',
    input: { file_path: path, content: text },
    content: `File created successfully at: ${path}`,
    isError: false,
    result: { type: 'create', filePath: path, content: text, structuredPatch: [], originalFile: null },
  };
};

const todo: Tool = (r) => {
  const todos = Array.from({ length: r.int(2, 8) }, () => ({
    content: sentence(r).slice(0, 70),
    status: r.pick(['pending', 'in_progress', 'completed']),
    activeForm: sentence(r).slice(0, 60),
  }));
  return {
    name: 'TodoWrite',
    input: { todos },
    content:
      'Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable',
    isError: false,
    result: { oldTodos: todos.slice(1), newTodos: todos },
  };
};

const glob: Tool = (r, cwd) => {
  const files = Array.from({ length: r.skewed(15, 1, 300) }, () => filePath(r, cwd));
  return {
    name: 'Glob',
    input: { pattern: `**/*.${r.pick(['ts', 'go', 'py', 'md'])}` },
    content: files.join('\n'),
    isError: false,
    result: { filenames: files, durationMs: r.int(3, 400), numFiles: files.length, truncated: false },
  };
};

const webFetch: Tool = (r) => {
  const url = `https://docs.example.org/${r.pick(['guide', 'api', 'reference'])}/${r.hex(6)}`;
  const text = prose(r, r.skewed(12, 0.8, 120));
  return {
    name: 'WebFetch',
    input: { url, prompt: sentence(r) },
    content: text,
    isError: false,
    result: {
      bytes: text.length * 4,
      code: 200,
      codeText: 'OK',
      result: text,
      durationMs: r.int(200, 9000),
      url,
    },
  };
};

const weighted: [Tool, number][] = [
  [read, 34],
  [bash, 26],
  [grep, 10],
  [edit, 15],
  [write, 4],
  [todo, 5],
  [glob, 4],
  [webFetch, 2],
];
const totalWeight = weighted.reduce((sum, [, w]) => sum + w, 0);

/** A tool call drawn with the mix seen in real coding sessions (reads and shell commands first). */
export function randomToolCall(r: Random, cwd: string): ToolCall {
  let roll = r.next() * totalWeight;
  for (const [tool, weight] of weighted) {
    roll -= weight;
    if (roll < 0) return tool(r, cwd);
  }
  return read(r, cwd);
}
