import { createServer, type Server } from 'node:http';
import type { ShipmentEventType } from '../domain/shipment-status.js';
import type { ShipmentRequest } from './warehouse.js';
import { listenOnLoopback } from './loopback.js';

export interface WarehouseStandIn {
  url: string;
  received: ShipmentRequest[];
  /** Shipments withdrawn before dispatch. */
  cancelled: Set<string>;
  /**
   * The goods leave now, ahead of the schedule: from here on a withdrawal is refused. The dispatch report goes
   * out at once unless `holdReport`, as when a warehouse's webhook is slower than its API.
   */
  dispatch(shipmentId: string, options?: { holdReport?: boolean }): Promise<void>;
  /** Sends a report through the engine's webhook, as the warehouse would (e.g. one held back by dispatch). */
  report(shipmentId: string, type: ShipmentEventType): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local warehouse for the embedded stack: accepts shipment requests over HTTP and reports `picked` and
 * `packed` along the way, `dispatched` after the delay (then `delivered`) through the engine's public webhook,
 * exactly as a real 3PL would. A shipment can be withdrawn until it is dispatched.
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
  /** Pending dispatch timers per shipment, so a cancellation can stop them; absent once dispatched. */
  const pending = new Map<string, NodeJS.Timeout[]>();
  const cancelled = new Set<string>();

  const later = (ms: number, fn: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn().catch((err: unknown) => options.log?.(`[warehouse] ${(err as Error).message}`));
    }, ms);
    timers.add(timer);
    return timer;
  };

  const report = async (shipmentId: string, type: ShipmentEventType, attempt = 1): Promise<void> => {
    const res = await fetch(`${options.apiUrl}/v1/shipments/${shipmentId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({
        eventId: `${shipmentId}:${type}`,
        type,
        ...(type === 'dispatched' || type === 'delivered'
          ? { trackingNumber: `TRK${shipmentId.slice(0, 8).toUpperCase()}` }
          : {}),
      }),
    }).catch(() => undefined);
    if (res?.ok) return;
    // Webhook senders retry; so does this one, a few times with back-off.
    if (attempt < 5) later(attempt * 1000, () => report(shipmentId, type, attempt + 1));
    else options.log?.(`[warehouse] gave up reporting ${type} for ${shipmentId}`);
  };

  const server: Server = createServer((req, res) => {
    const cancel = req.method === 'DELETE' ? /^\/shipments\/([^/]+)$/.exec(req.url ?? '') : null;
    if (cancel) {
      const shipmentId = decodeURIComponent(cancel[1]!);
      if (!seen.has(shipmentId)) return void res.writeHead(404).end();
      if (!pending.has(shipmentId) && !cancelled.has(shipmentId))
        return void res.writeHead(409).end('already dispatched');
      for (const timer of pending.get(shipmentId) ?? []) clearTimeout(timer);
      pending.delete(shipmentId);
      cancelled.add(shipmentId);
      return void res.writeHead(204).end();
    }
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
        const id = request.shipmentId;
        const scheduled = [
          later(options.dispatchDelayMs / 3, () => report(id, 'picked')),
          later((options.dispatchDelayMs * 2) / 3, () => report(id, 'packed')),
          later(options.dispatchDelayMs, () => {
            pending.delete(id);
            return report(id, 'dispatched');
          }),
        ];
        if (options.deliveryDelayMs !== undefined) {
          scheduled.push(later(options.dispatchDelayMs + options.deliveryDelayMs, () => report(id, 'delivered')));
        }
        pending.set(id, scheduled);
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: request.shipmentId }));
    });
  });
  const url = await listenOnLoopback(server, options.port);
  return {
    url,
    received,
    cancelled,
    dispatch: async (shipmentId, dispatchOptions = {}) => {
      const timers = pending.get(shipmentId);
      if (!timers) throw new Error(`shipment ${shipmentId} is not waiting for dispatch at the warehouse`);
      for (const timer of timers) clearTimeout(timer);
      pending.delete(shipmentId);
      if (!dispatchOptions.holdReport) await report(shipmentId, 'dispatched');
    },
    report: (shipmentId, type) => report(shipmentId, type),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
