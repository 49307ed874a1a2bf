import { createServer } from 'node:http';
import { listenOnLoopback } from '../../integrations/loopback.js';

export interface CreditBureauStub {
  url: string;
  /** Requests received, failed ones included. */
  requests: { reference: string; name: string; country: string }[];
  close(): Promise<void>;
}

/**
 * A local credit bureau speaking the adapter's HTTP protocol: scores by reference, 404 for unknown companies,
 * and the first `failFirst` requests answered 503 (or after `delayMs`) to exercise retries and timeouts.
 */
export async function startCreditBureauStub(options: {
  scores: Record<string, number>;
  failFirst?: number;
  delayMs?: number;
  apiKey?: string;
}): Promise<CreditBureauStub> {
  const requests: CreditBureauStub['requests'] = [];
  let failures = options.failFirst ?? 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const subject = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CreditBureauStub['requests'][number];
      requests.push(subject);
      const answer = () => {
        if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return res.writeHead(401).end();
        if (req.method !== 'POST' || req.url !== '/v1/scores') return res.writeHead(404).end();
        if (failures > 0) {
          failures--;
          return res.writeHead(503).end('busy');
        }
        const score = options.scores[subject.reference];
        if (score === undefined) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ score }));
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
