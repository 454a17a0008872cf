import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

/**
 * The baseline of the ingest benchmark, the naive durable design: an HTTP server that answers
 * `POST /v1/messages:batch` like agentlog does, after appending each message to a JSONL file with
 * one fsync per message. Prints `listening <url>` on stderr once ready; SIGTERM stops it.
 */

const { values } = parseArgs({ options: { file: { type: 'string' } } });
if (values.file === undefined) throw new Error('--file is required');
const fd = openSync(values.file, 'a');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { messages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      messages: { id: string }[];
    };
    const results = messages.map((message, index) => {
      writeSync(fd, `${JSON.stringify(message)}\n`);
      fsyncSync(fd);
      return { index, id: message.id, status: 'accepted' };
    });
    const body = JSON.stringify({ results });
    res.writeHead(207, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stderr.write(`listening http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => closeSync(fd));
  server.closeAllConnections();
});
