import { createHash } from 'node:crypto';
import {
  parseNodeStack,
  parsePythonTraceback,
  type ParsedException,
  type StackFrame,
} from './stack-parsers.ts';

export type { StackFrame };

export const errorKinds = [
  'cuda-oom',
  'nccl',
  'python-exception',
  'node-exception',
  'signal',
  'exit-code',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

/** What went wrong, as far as the log and the exit status tell. Part of the crash report contract. */
export type ErrorSignature = {
  kind: ErrorKind;
  /** `torch.OutOfMemoryError`, `ModuleNotFoundError`, `SIGKILL`, `exit 3`. */
  type: string;
  message: string;
  /** Outermost first, as Python prints them (Node stacks are reversed to match). */
  frames: StackFrame[];
  /** The innermost frame in the user's own code (not the standard library or installed packages). */
  location: string | null;
  signal: string | null;
  exitCode: number | null;
  /** The lines of the log that show the error. */
  excerpt: string;
  /** One line: `ModuleNotFoundError: No module named 'wandb' (train.py:3)`. */
  summary: string;
  /** Equal for the same failure in another run: kind, type and location, hashed. */
  fingerprint: string;
};

export type ExitStatus = { exitCode: number | null; signal: string | null };

// Multi-process launchers prefix each line with the rank that wrote it.
const rankPrefix = /^\[(?:rank|default)\d+\]:\s?/;

const cudaOom = /CUDA out of memory|OutOfMemoryError|CUDA error: out of memory|CUBLAS_STATUS_ALLOC_FAILED/;
const ncclLine =
  /NCCL error|ncclInternalError|ncclSystemError|ncclUnhandledCudaError|ncclRemoteError|NCCL communicator was aborted|Watchdog caught collective operation timeout|ProcessGroupNCCL.*(?:timeout|Timeout|error)|DistBackendError/;
const errorWords = /\b(error|fatal|exception|killed|segmentation fault|aborted|core dumped|traceback)\b/i;

function clean(text: string): string[] {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
      .split(/\r?\n|\r/)
      .map((line) => line.replace(rankPrefix, ''))
  );
}

/**
 * Reads the error out of the end of a log: Python tracebacks (CUDA out-of-memory and NCCL
 * failures are named as such), Node stacks, and otherwise the signal or exit code, with the
 * log lines that mention errors.
 */
export function extractError(logTail: string, status: ExitStatus): ErrorSignature {
  const lines = clean(logTail);
  const python = parsePythonTraceback(lines);
  const node = python === null ? parseNodeStack(lines) : null;
  const nccl = findFirstRecent(lines, ncclLine);
  const oom = python !== null && cudaOom.test(`${python.type}: ${python.message}`) ? python : null;
  if (oom !== null) return signature('cuda-oom', oom, status);
  if (
    nccl !== null &&
    (python === null || ncclLine.test(`${python.type}: ${python.message}`) || status.signal !== null)
  ) {
    const parsed = python ?? {
      type: 'NCCL',
      message: lines[nccl]!.trim(),
      frames: [],
      excerpt: around(lines, nccl),
    };
    return signature('nccl', { ...parsed, excerpt: parsed.excerpt || around(lines, nccl) }, status);
  }
  if (python !== null) return signature('python-exception', python, status);
  if (node !== null) return signature('node-exception', node, status);
  const excerpt = errorLines(lines);
  if (status.signal !== null) {
    return signature(
      'signal',
      { type: status.signal, message: signalMeaning(status.signal), frames: [], excerpt },
      status,
    );
  }
  const message = excerpt.split('\n').at(-1)?.trim() ?? '';
  return signature(
    'exit-code',
    { type: `exit ${status.exitCode ?? '?'}`, message, frames: [], excerpt },
    status,
  );
}

function signature(kind: ErrorKind, parsed: ParsedException, status: ExitStatus): ErrorSignature {
  const location = userLocation(parsed.frames);
  const summary = `${parsed.type}${parsed.message ? `: ${firstLine(parsed.message)}` : ''}${location ? ` (${location})` : ''}`;
  const fingerprint = createHash('sha256')
    .update([kind, parsed.type, location ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return {
    kind,
    type: parsed.type,
    message: parsed.message,
    frames: parsed.frames,
    location,
    signal: status.signal,
    exitCode: status.exitCode,
    excerpt: parsed.excerpt,
    summary: summary.length > 300 ? `${summary.slice(0, 297)}...` : summary,
    fingerprint,
  };
}

const libraryPath =
  /site-packages|dist-packages|[\\/]lib[\\/]python\d|^<frozen|node_modules|^node:|^internal[\\/]/;

function userLocation(frames: readonly StackFrame[]): string | null {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (!libraryPath.test(frame.file))
      return frame.line === null ? frame.file : `${frame.file}:${frame.line}`;
  }
  const last = frames.at(-1);
  return last === undefined ? null : last.line === null ? last.file : `${last.file}:${last.line}`;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/** The first line matching among the last ones: the first NCCL error names the cause, later ones echo it. */
function findFirstRecent(lines: readonly string[], pattern: RegExp, recent = 200): number | null {
  for (let i = Math.max(0, lines.length - recent); i < lines.length; i++)
    if (pattern.test(lines[i]!)) return i;
  return null;
}

function around(lines: readonly string[], index: number): string {
  return lines
    .slice(Math.max(0, index - 3), index + 4)
    .join('\n')
    .trim();
}

/** The last few log lines that mention an error, for a failure without a stack to read. */
function errorLines(lines: readonly string[]): string {
  const picked: string[] = [];
  for (let i = lines.length - 1; i >= 0 && picked.length < 12; i--) {
    if (errorWords.test(lines[i]!)) picked.unshift(lines[i]!.trimEnd());
  }
  if (picked.length > 0) return picked.join('\n');
  return lines
    .filter((l) => l.trim().length > 0)
    .slice(-5)
    .join('\n');
}

const signalMeanings: Record<string, string> = {
  SIGKILL: 'killed (SIGKILL): often the out-of-memory killer or a scheduler enforcing a limit',
  SIGTERM: 'terminated (SIGTERM): stopped by a person, a scheduler, preemption or a time limit',
  SIGINT: 'interrupted (SIGINT): Ctrl-C or a launcher stopping its workers',
  SIGSEGV: 'segmentation fault (SIGSEGV): a crash in native code',
  SIGABRT: 'aborted (SIGABRT): native code gave up, often after an error printed just before',
  SIGBUS: 'bus error (SIGBUS): bad memory access, often shared memory (/dev/shm) too small',
  SIGHUP: 'hang-up (SIGHUP): the terminal or session that ran it went away',
  SIGPIPE: 'broken pipe (SIGPIPE): it wrote to a reader that had gone',
};

function signalMeaning(signal: string): string {
  return signalMeanings[signal] ?? `ended by ${signal}`;
}
