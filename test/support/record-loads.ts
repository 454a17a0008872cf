import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

/**
 * Preloaded with `node --import` by tests that check what a command loads: records the URL of every
 * module loaded (ESM and CommonJS) and writes them as JSON to AGENTLOG_TEST_LOADS_TO at exit.
 */
const loaded: string[] = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.once('exit', () => writeFileSync(process.env.AGENTLOG_TEST_LOADS_TO!, JSON.stringify(loaded)));
