import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashOutput } from '../../src/runs/runs-contract.ts';
import { promptOf, useStandInModel, type StandIn } from '../llm/stand-in-model.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  addProjectFile,
  agentlog,
  chainIdOf,
  makeMachine,
  showRun,
  trainingTurns,
  writeClaudeSession,
  type Machine,
} from './run-fixture.ts';

const oomLog = join(ownFixtures, 'runs', 'logs', 'cuda-oom.txt');

/** The answer a careful model gives: JSON citing the excerpt where the batch size was chosen. */
function modelAnswer(prompt: string): string {
  const cited =
    /\[#(\d+)\] assistant[^\n]*:\nI wrote train\.py and config\.json\. I picked batch_size 512/.exec(prompt);
  return JSON.stringify({
    rootCause: 'batch_size 512 needs more memory than an 80 GB GPU has at this sequence length.',
    decisions: [
      {
        excerpt: Number(cited?.[1]),
        what: 'batch_size 512 was chosen to finish an epoch tonight',
        effect: 'OOM in attention',
      },
    ],
    fix: 'Use batch_size 64 with gradient accumulation 8 and enable gradient checkpointing.',
    confidence: 'high',
  });
}

const providers = {
  openai: (url: string) => ({
    AGENTLOG_LLM_PROVIDER: 'openai',
    AGENTLOG_LLM_MODEL: 'gpt-test',
    AGENTLOG_LLM_BASE_URL: `${url}/v1`,
    OPENAI_API_KEY: 'sk-test',
  }),
  anthropic: (url: string) => ({
    AGENTLOG_LLM_PROVIDER: 'anthropic',
    AGENTLOG_LLM_MODEL: 'claude-test',
    AGENTLOG_LLM_BASE_URL: url,
    ANTHROPIC_API_KEY: 'ak-test',
  }),
  bedrock: (url: string) => ({
    AGENTLOG_LLM_PROVIDER: 'bedrock',
    AGENTLOG_LLM_MODEL: 'anthropic.claude-test-v1:0',
    AGENTLOG_LLM_BASE_URL: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
  }),
};

const answeredBy = {
  openai: 'stand-in-gpt',
  anthropic: 'stand-in-claude',
  bedrock: 'anthropic.claude-test-v1:0',
};

describe('crash reports from the training machine', () => {
  const tempDir = useTempDirs();
  const standIn = useStandInModel();

  /** A launch that succeeded (a scheduler took the job): only the chain id travels on. */
  async function launched(): Promise<{ machine: Machine; chain: string }> {
    const machine = makeMachine(tempDir());
    addProjectFile(machine, 'config.json');
    writeClaudeSession(machine, '5e5e5e5e-1111-4222-8333-444455556666', machine.project, trainingTurns);
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--config',
      'config.json',
      '--',
      'true',
    ]);
    expect(result.code).toBe(0);
    return { machine, chain: chainIdOf(result.stderr) };
  }

  async function report(machine: Machine, chain: string, env: Record<string, string>): Promise<CrashOutput> {
    const result = await agentlog(
      machine,
      ['crash', 'report', '--chain', chain, '--log', oomLog, '--exit-code', '1', '--json'],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as CrashOutput;
  }

  it.each(['openai', 'anthropic', 'bedrock'] as const)(
    '%s: the model gets error, log, config and the ranked conversation, and names the decision',
    async (name) => {
      const { machine, chain } = await launched();
      const server: StandIn = await standIn();
      server.behave({ kind: 'answer', text: modelAnswer });
      const { report: crash, email } = await report(machine, chain, providers[name](server.url));

      expect(server.received).toHaveLength(1);
      const prompt = promptOf(server.received[0]!.body);
      expect(prompt).toContain('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 4.00 GiB');
      expect(prompt).toContain('"batch_size": 512');
      expect(prompt).toContain('I picked batch_size 512 so an epoch finishes tonight.');
      expect(prompt).not.toContain('Canberra');
      expect(crash.promptTokens).toBeGreaterThan(0);
      expect(crash.promptTokens).toBeLessThanOrEqual(12_000);

      expect(crash).toMatchObject({
        chainId: chain,
        trigger: 'reported',
        providerError: null,
        exit: { code: 1, signal: null },
      });
      expect(crash.error.kind).toBe('cuda-oom');
      expect(crash.analysis).toMatchObject({
        provider: name,
        model: answeredBy[name],
        rootCause: expect.stringMatching(/^batch_size 512 needs more memory/),
        fix: expect.stringMatching(/gradient accumulation/),
        confidence: 'high',
      });
      const decision = crash.analysis!.decisions[0]!;
      const cited = crash.excerpts.find((e) => e.n === decision.excerpt);
      expect(cited?.text).toMatch(/^I wrote train\.py and config\.json\. I picked batch_size 512/);
      expect(decision.messageId).toBe(cited?.messageId);
      expect(email).toEqual({ status: 'not-configured' });

      const shown = await showRun(machine, chain);
      expect(shown.crashReports.map((r) => r.id)).toEqual([crash.id]);
      expect(readFileSync(join(machine.data, 'blobs', 'runs', shown.run.id, `${crash.id}.log`), 'utf8')).toBe(
        readFileSync(oomLog, 'utf8'),
      );
    },
  );

  it('a provider that times out: the built-in analysis is delivered, the provider error noted', async () => {
    const { machine, chain } = await launched();
    const server = await standIn();
    server.behave({ kind: 'hang' });
    const { report: crash } = await report(machine, chain, {
      ...providers.openai(server.url),
      AGENTLOG_LLM_TIMEOUT_MS: '300',
    });
    expect(crash.analysis).toBeNull();
    expect(crash.providerError).toMatch(
      /^The model provider openai at http:\/\/127\.0\.0\.1:\d+ did not answer within 300 ms\.$/,
    );
    expect(crash.likelyCauses.map((c) => c.rule)).toEqual(['cuda-oom']);
    expect(crash.excerpts.map((e) => e.text)).toContain(
      'I wrote train.py and config.json. I picked batch_size 512 so an epoch finishes tonight.',
    );

    const markdown = await agentlog(machine, ['runs', 'show', chain]);
    expect(markdown.stdout).toContain('> The model could not be asked: The model provider openai');
    expect(markdown.stdout).toContain('**GPU out of memory**');
  });

  it.each([
    [
      'prose instead of JSON',
      { kind: 'answer', text: 'I think the batch is too big.' },
      /the model answered without a JSON object: I think/,
    ],
    [
      'JSON without the fields',
      { kind: 'answer', text: '{"cause": "batch"}' },
      /the model's answer lacks rootCause/,
    ],
    [
      'an HTTP error',
      { kind: 'status', status: 500, body: 'upstream exploded' },
      /answered HTTP 500: upstream exploded/,
    ],
    [
      'a body of another shape',
      { kind: 'garbage', body: '{"result": 42}' },
      /answered in an unexpected shape/,
    ],
  ] as const)(
    'a provider answering %s: built-in analysis, provider error noted',
    async (_label, behaviour, error) => {
      const { machine, chain } = await launched();
      const server = await standIn();
      server.behave(behaviour);
      const { report: crash } = await report(machine, chain, providers.anthropic(server.url));
      expect(crash.analysis).toBeNull();
      expect(crash.providerError).toMatch(error);
      expect(crash.likelyCauses).not.toHaveLength(0);
    },
  );

  it('a provider configured without its model: the built-in analysis, and the missing setting named', async () => {
    const { machine, chain } = await launched();
    const { report: crash } = await report(machine, chain, { AGENTLOG_LLM_PROVIDER: 'anthropic' });
    expect(crash.providerError).toBe('llm.provider is "anthropic" but no model is set.');
  });

  it('masks secrets in the config copy and the log before they are stored or sent to the model', async () => {
    const machine = makeMachine(tempDir());
    const token = `ghp_${'a1B2'.repeat(9)}`;
    addProjectFile(machine, 'config.json', JSON.stringify({ batch_size: 512, hub_token: token }));
    const launch = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--config',
      'config.json',
      '--',
      'true',
    ]);
    const chain = chainIdOf(launch.stderr);
    const log = join(machine.project, 'train.log');
    writeFileSync(log, `${readFileSync(oomLog, 'utf8')}export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n`);
    const server = await standIn();
    server.behave({ kind: 'answer', text: modelAnswer });
    const result = await agentlog(
      machine,
      ['crash', 'report', '--chain', chain, '--log', log, '--json'],
      providers.openai(server.url),
    );
    const prompt = promptOf(server.received[0]!.body);
    expect(prompt).toContain('"hub_token":"[REDACTED:github_token]"');
    expect(prompt).toContain('AWS_ACCESS_KEY_ID=[REDACTED:aws_access_key]');
    expect(prompt).not.toContain(token);
    expect(prompt).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(result.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const { run } = await showRun(machine, chain);
    const metadata = join(machine.data, 'blobs', 'conversations', 'local', run.id, 'metadata.json');
    expect(readFileSync(metadata, 'utf8')).toContain('[REDACTED:github_token]');
    expect(readFileSync(metadata, 'utf8')).not.toContain(token);
  });

  it('crash analyze asks the model again about a stored run and keeps both reports', async () => {
    const machine = makeMachine(tempDir());
    addProjectFile(machine, 'config.json');
    addProjectFile(machine, 'train.py');
    writeClaudeSession(machine, '6f6f6f6f-1111-4222-8333-444455556666', machine.project, trainingTurns);
    const run = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--config',
      'config.json',
      '--',
      'python3',
      'train.py',
    ]);
    expect(run.code).toBe(1);
    const chain = chainIdOf(run.stderr);
    const server = await standIn();
    server.behave({
      kind: 'answer',
      text: JSON.stringify({
        rootCause: 'wandb_tracker is not installed in the job environment.',
        decisions: [],
        fix: 'pip install it.',
      }),
    });
    const again = await agentlog(machine, ['crash', 'analyze', chain], providers.openai(server.url));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('## Root cause (openai stand-in-gpt)');
    expect(promptOf(server.received[0]!.body)).toContain(
      "ModuleNotFoundError: No module named 'wandb_tracker'",
    );
    const shown = await showRun(machine, chain);
    expect(shown.crashReports.map((r) => [r.trigger, r.analysis === null])).toEqual([
      ['exit', true],
      ['reanalyzed', false],
    ]);
  });
});

describe('crash reports by e-mail', () => {
  const tempDir = useTempDirs();
  const servers: SMTPServer[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  type Received = { from: string; to: string[]; raw: string };

  async function smtpServer(): Promise<{ port: number; mails: Received[] }> {
    const mails: Received[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString()));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          done();
        });
      },
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.server.address() as { port: number }).port, mails };
  }

  /** Undoes quoted-printable (soft line breaks, =XX bytes) so the body can be searched. */
  const unquote = (text: string) =>
    Buffer.from(
      text
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');

  it('sends the report to the configured recipients through SMTP, the JSON attached', async () => {
    const machine = makeMachine(tempDir());
    addProjectFile(machine, 'train.py');
    addProjectFile(machine, 'config.json');
    writeClaudeSession(machine, '7a7a7a7a-1111-4222-8333-444455556666', machine.project, trainingTurns);
    const smtp = await smtpServer();
    const env = {
      AGENTLOG_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      AGENTLOG_NOTIFY_TO: 'ml-team@example.com, oncall@example.com',
      AGENTLOG_NOTIFY_FROM: 'agentlog@example.com',
    };
    const result = await agentlog(
      machine,
      ['run', '--cwd', machine.project, '--', 'python3', 'train.py'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('e-mailed to ml-team@example.com, oncall@example.com');
    const chain = chainIdOf(result.stderr);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('agentlog@example.com');
    expect(mail.to).toEqual(['ml-team@example.com', 'oncall@example.com']);
    const body = unquote(mail.raw);
    expect(body).toMatch(new RegExp(`Subject: \\[agentlog\\] run run_\\w+ \\(chain ${chain}\\) crashed:`));
    expect(body).toContain(`# Crash of run`);
    expect(body).toContain("ModuleNotFoundError: No module named 'wandb_tracker'");
    const { crashReports } = await showRun(machine, chain);
    expect(body).toContain(`filename=${crashReports[0]!.id}.json`);
  });

  it('an SMTP server that cannot be reached: the report is stored, the failure said', async () => {
    const machine = makeMachine(tempDir());
    const env = { AGENTLOG_SMTP_URL: 'smtp://127.0.0.1:1', AGENTLOG_NOTIFY_TO: 'ml-team@example.com' };
    const result = await agentlog(
      machine,
      ['run', '--cwd', machine.project, '--', 'python3', '-c', 'raise SystemExit(2)'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the e-mail to ml-team@example\.com failed: .*ECONNREFUSED/);
    const { crashReports } = await showRun(machine, chainIdOf(result.stderr));
    expect(crashReports).toHaveLength(1);
  });
});
