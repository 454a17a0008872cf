import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { useTempDirs } from '../support/temp-dir.ts';

describe('llm and notify configuration', () => {
  const tempDir = useTempDirs();

  it('has no model and no e-mail by default', () => {
    const config = loadConfig({ flags: { dataDir: tempDir() }, env: {} });
    expect(config.llm).toMatchObject({ provider: 'none', timeoutMs: 60_000, promptTokens: 12_000 });
    expect(config.notify).toEqual({ to: [] });
  });

  it('reads AGENTLOG_LLM_*, the provider’s usual key, AWS credentials and the SMTP variables', () => {
    const env = {
      AGENTLOG_LLM_PROVIDER: 'anthropic',
      AGENTLOG_LLM_MODEL: 'claude-x',
      AGENTLOG_LLM_BASE_URL: 'http://127.0.0.1:9/',
      ANTHROPIC_API_KEY: 'ak',
      OPENAI_API_KEY: 'not-this-one',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AGENTLOG_SMTP_URL: 'smtp://mail:25',
      AGENTLOG_NOTIFY_TO: 'a@example.com, b@example.com',
    };
    const config = loadConfig({ flags: { dataDir: tempDir() }, env });
    expect(config.llm).toMatchObject({
      provider: 'anthropic',
      model: 'claude-x',
      baseUrl: 'http://127.0.0.1:9/',
      apiKey: 'ak',
      aws: { region: 'eu-west-1', accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    expect(config.notify).toEqual({ smtpUrl: 'smtp://mail:25', to: ['a@example.com', 'b@example.com'] });
  });

  it('takes the file’s llm and notify blocks, the environment winning', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        llm: { provider: 'openai', model: 'from-file', apiKey: 'file-key', promptTokens: 4000 },
        notify: { to: ['file@example.com'], from: 'agentlog@example.com' },
      }),
    );
    const config = loadConfig({ flags: { dataDir: dir }, env: { AGENTLOG_LLM_MODEL: 'from-env' } });
    expect(config.llm).toMatchObject({
      provider: 'openai',
      model: 'from-env',
      apiKey: 'file-key',
      promptTokens: 4000,
    });
    expect(config.notify).toEqual({ to: ['file@example.com'], from: 'agentlog@example.com' });
  });

  it('refuses an unknown provider with the setting named', () => {
    expect(() =>
      loadConfig({ flags: { dataDir: tempDir() }, env: { AGENTLOG_LLM_PROVIDER: 'gpt' } }),
    ).toThrow(/Invalid configuration: llm\.provider/);
  });
});
