import type { ErrorSignature } from './extract-error.ts';

/**
 * One known failure: when it applies, what usually causes it, what usually fixes it, and the
 * words that find the conversation turns where it was decided (batch size for an out-of-memory).
 */
export type ErrorRule = {
  id: string;
  title: string;
  applies: (error: ErrorSignature, log: string) => boolean;
  causes: string[];
  fixes: string[];
  keywords: string[];
};

export type RuleMatch = { rule: string; title: string; causes: string[]; fixes: string[] };

const text = (e: ErrorSignature) => `${e.type}: ${e.message}`;
const ncclTimeout = (e: ErrorSignature, log: string) =>
  /timeout|timed out|Watchdog/i.test(`${text(e)}\n${log}`);

/** The built-in rule table, most specific first. Every rule that applies is reported. */
export const errorRules: readonly ErrorRule[] = [
  {
    id: 'cuda-oom',
    title: 'GPU out of memory',
    applies: (e) => e.kind === 'cuda-oom',
    causes: [
      'the batch size, sequence length or model size needs more GPU memory than the device has',
      'activations kept for the backward pass (no gradient checkpointing) or full-precision weights',
      'memory fragmentation, or another process holding memory on the same GPU',
    ],
    fixes: [
      'lower the per-device batch size and raise gradient accumulation to keep the effective batch',
      'enable gradient checkpointing and mixed precision (bf16/fp16)',
      'set PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True; check nvidia-smi for other processes',
    ],
    keywords: [
      'batch_size',
      'batch size',
      'micro_batch',
      'seq_len',
      'max_length',
      'sequence length',
      'gradient_checkpointing',
      'checkpointing',
      'fp16',
      'bf16',
      'precision',
      'memory',
      'gpu',
      'accumulation',
    ],
  },
  {
    id: 'nccl-timeout',
    title: 'Collective operation timed out (NCCL)',
    applies: (e, log) => e.kind === 'nccl' && ncclTimeout(e, log),
    causes: [
      'one rank stopped (crashed, stuck in data loading, or took another code path) while the others waited',
      'ranks disagree on the work: different data sizes, a condition true on one rank only',
      'a slow or misconfigured network between nodes',
    ],
    fixes: [
      'look for the first rank that failed in every rank’s log; the others only time out after it',
      'make every rank run the same collectives (same number of steps and batches)',
      'set NCCL_DEBUG=INFO to see the transport; raise the process-group timeout only once the cause is known',
    ],
    keywords: ['nccl', 'rank', 'world_size', 'distributed', 'ddp', 'fsdp', 'timeout', 'nodes', 'torchrun'],
  },
  {
    id: 'nccl-error',
    title: 'NCCL communication error',
    applies: (e, log) => e.kind === 'nccl' && !ncclTimeout(e, log),
    causes: [
      'the network interface or InfiniBand settings NCCL picked do not work between these hosts',
      'mismatched NCCL/CUDA versions across nodes, or a GPU that fell off the bus',
    ],
    fixes: [
      'run with NCCL_DEBUG=INFO and check the interface (NCCL_SOCKET_IFNAME) and IB settings',
      'use the same container image on every node',
    ],
    keywords: ['nccl', 'rank', 'distributed', 'network', 'infiniband', 'interface', 'nodes', 'world_size'],
  },
  {
    id: 'module-not-found',
    title: 'A module is missing',
    applies: (e, log) =>
      /ModuleNotFoundError|ImportError|ERR_MODULE_NOT_FOUND|Cannot find module|MODULE_NOT_FOUND/.test(
        `${text(e)}\n${e.kind === 'exit-code' ? log : ''}`,
      ),
    causes: [
      'the package is not installed in the environment the job runs in (another venv, image or machine)',
      'a dependency added during the session but never written to the requirements',
    ],
    fixes: [
      'install it in the job’s environment and record it in requirements.txt / pyproject / package.json',
    ],
    keywords: ['install', 'pip', 'requirements', 'import', 'dependency', 'venv', 'environment', 'package'],
  },
  {
    id: 'file-not-found',
    title: 'A file or directory is missing',
    applies: (e) => /FileNotFoundError|No such file or directory|ENOENT/.test(text(e)),
    causes: [
      'a path relative to another working directory, or to a machine where the data lives',
      'data or a checkpoint that was never copied to where the job runs',
    ],
    fixes: [
      'use absolute paths from the config; check the data and checkpoint locations on the machine that ran',
    ],
    keywords: ['path', 'dir', 'data', 'dataset', 'checkpoint', 'output', 'file', 'resume'],
  },
  {
    id: 'shape-mismatch',
    title: 'Tensor shape or size mismatch',
    applies: (e) =>
      /size mismatch|shape mismatch|shapes cannot be multiplied|must match the size|Expected .* size|mat1 and mat2/.test(
        text(e),
      ),
    causes: [
      'the model configuration (hidden size, vocabulary, number of labels) differs from the checkpoint or the data',
      'a change of tokenizer or padding that changed the input length',
    ],
    fixes: ['make the config values match the checkpoint, or load with a fresh head where the size changed'],
    keywords: ['hidden', 'dim', 'vocab', 'num_labels', 'shape', 'checkpoint', 'tokenizer', 'config', 'size'],
  },
  {
    id: 'cuda-device-assert',
    title: 'CUDA device-side assertion',
    applies: (e) =>
      /device-side assert|CUDA error: an illegal memory access|index out of bounds/.test(text(e)),
    causes: [
      'an index out of range on the GPU: labels outside [0, num_classes), token ids beyond the vocabulary',
    ],
    fixes: [
      'run once with CUDA_LAUNCH_BLOCKING=1 (or on CPU) to see the failing operation; check label and token ranges',
    ],
    keywords: ['labels', 'num_classes', 'num_labels', 'vocab', 'tokenizer', 'index', 'embedding'],
  },
  {
    id: 'nan-loss',
    title: 'Loss became NaN or infinite',
    applies: (e, log) => /\bnan\b|\binf\b|non-finite/i.test(`${text(e)}\n${e.excerpt}`) && /loss/i.test(log),
    causes: ['a learning rate too high, fp16 overflow, or bad data (empty or extreme values)'],
    fixes: ['lower the learning rate or add warmup; prefer bf16 or enable loss scaling; clip gradients'],
    keywords: ['learning_rate', 'lr', 'warmup', 'fp16', 'bf16', 'clip', 'loss', 'scheduler'],
  },
  {
    id: 'host-oom-kill',
    title: 'Killed, probably out of host memory',
    applies: (e) => e.signal === 'SIGKILL' || e.exitCode === 137,
    causes: [
      'the process used more RAM than the machine or container allows and the kernel killed it',
      'a scheduler or another person killed it (time or resource limit)',
    ],
    fixes: [
      'check dmesg or the container events for the OOM killer; lower dataloader workers, prefetching or in-memory datasets',
    ],
    keywords: ['num_workers', 'workers', 'memory', 'ram', 'dataset', 'cache', 'prefetch', 'limit'],
  },
  {
    id: 'terminated',
    title: 'Terminated from outside',
    applies: (e) =>
      e.signal === 'SIGTERM' || e.signal === 'SIGINT' || e.exitCode === 143 || e.exitCode === 130,
    causes: [
      'stopped by a person, a scheduler time limit, preemption (spot instances) or a launcher stopping its workers',
    ],
    fixes: ['check the scheduler’s record of the job; save checkpoints often and resume from the last one'],
    keywords: ['time limit', 'preempt', 'spot', 'checkpoint', 'resume', 'save_steps'],
  },
  {
    id: 'native-crash',
    title: 'Crash in native code',
    applies: (e) =>
      e.signal === 'SIGSEGV' || e.signal === 'SIGBUS' || e.signal === 'SIGABRT' || e.exitCode === 139,
    causes: [
      'incompatible builds of native libraries (CUDA, PyTorch, drivers) or a library bug',
      'shared memory (/dev/shm) too small for data loader workers (SIGBUS)',
    ],
    fixes: ['pin matching versions of the native packages; in containers raise --shm-size'],
    keywords: ['cuda', 'version', 'torch', 'driver', 'shm', 'docker', 'container', 'upgrade'],
  },
  {
    id: 'disk-full',
    title: 'Disk full',
    applies: (e, log) => /No space left on device|ENOSPC/.test(`${text(e)}\n${log}`),
    causes: ['checkpoints, caches or logs filled the disk'],
    fixes: [
      'free space or point checkpoints and caches (HF_HOME, TMPDIR) at a larger volume; keep fewer checkpoints',
    ],
    keywords: ['checkpoint', 'save_total_limit', 'cache', 'output_dir', 'disk'],
  },
  {
    id: 'permission-denied',
    title: 'Permission denied',
    applies: (e) => /PermissionError|Permission denied|EACCES/.test(text(e)),
    causes: ['the job runs as another user, or writes to a read-only or shared location'],
    fixes: ['write outputs to a directory the job’s user owns'],
    keywords: ['permission', 'output_dir', 'path', 'user', 'mount'],
  },
  {
    id: 'js-heap-oom',
    title: 'JavaScript heap out of memory',
    applies: (e, log) => /heap out of memory|Reached heap limit/.test(`${text(e)}\n${log}`),
    causes: ['the Node.js process holds more data than its heap limit'],
    fixes: ['stream the data instead of loading it whole, or raise --max-old-space-size'],
    keywords: ['memory', 'load', 'array', 'stream', 'max-old-space-size'],
  },
  {
    id: 'key-error',
    title: 'A key is missing',
    applies: (e) => e.type.endsWith('KeyError'),
    causes: ['a config or data field renamed or never set'],
    fixes: ['compare the keys the code reads with the config file and the data columns'],
    keywords: ['config', 'key', 'column', 'field', 'yaml', 'json'],
  },
  {
    id: 'command-not-found',
    title: 'The command does not exist',
    applies: (e) => e.exitCode === 127,
    causes: ['a typo, or a program not installed or not on PATH where the job runs'],
    fixes: ['check the command name and PATH on the machine that runs the job'],
    keywords: ['install', 'path', 'command', 'script'],
  },
];

/** Every rule that applies to the error, in table order. */
export function matchRules(error: ErrorSignature, log: string): ErrorRule[] {
  return errorRules.filter((rule) => rule.applies(error, log));
}

export function toMatch(rule: ErrorRule): RuleMatch {
  return { rule: rule.id, title: rule.title, causes: rule.causes, fixes: rule.fixes };
}
