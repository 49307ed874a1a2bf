import { createServer, type Server } from 'node:http';
import type { ShipmentRequest } from './warehouse.js';

export interface WarehouseStandIn {
  url: string;
  received: ShipmentRequest[];
  close(): Promise<void>;
}

/**
 * A local warehouse for the embedded stack: accepts shipment requests over HTTP and, after a delay, reports
 * `dispatched` (then `delivered`) through the engine's public webhook, exactly as a real 3PL would.
 */
export async function startWarehouseStandIn(options: {
  apiUrl: string;
  apiKey: string;
  dispatchDelayMs: number;
  deliveryDelayMs?: number;
  port?: number;
  log?: (line: string) => void;
}): Promise<WarehouseStandIn> {
  const received: ShipmentRequest[] = [];
  const seen = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn().catch((err: unknown) => options.log?.(`[warehouse] ${(err as Error).message}`));
    }, ms);
    timers.add(timer);
  };

  const report = async (shipmentId: string, type: 'dispatched' | 'delivered', attempt = 1): Promise<void> => {
    const res = await fetch(`${options.apiUrl}/v1/shipments/${shipmentId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({ eventId: `${shipmentId}:${type}`, type, trackingNumber: `TRK${shipmentId.slice(0, 8).toUpperCase()}` }),
    }).catch(() => undefined);
    if (res?.ok) return;
    // Webhook senders retry; so does this one, a few times with back-off.
    if (attempt < 5) later(attempt * 1000, () => report(shipmentId, type, attempt + 1));
    else options.log?.(`[warehouse] gave up reporting ${type} for ${shipmentId}`);
  };

  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/shipments') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ShipmentRequest;
      if (!seen.has(request.shipmentId)) {
        seen.add(request.shipmentId);
        received.push(request);
        later(options.dispatchDelayMs, () => report(request.shipmentId, 'dispatched'));
        if (options.deliveryDelayMs !== undefined) {
          later(options.dispatchDelayMs + options.deliveryDelayMs, () => report(request.shipmentId, 'delivered'));
        }
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: request.shipmentId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
