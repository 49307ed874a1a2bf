export interface ShipmentRequest {
  shipmentId: string;
  orderId: string;
  warehouseCode: string;
  lines: { sku: string; quantity: number }[];
}

/** The warehouse / 3PL we hand shipments to. It reports progress back through POST /v1/shipments/:id/events. */
export interface Warehouse {
  requestShipment(request: ShipmentRequest): Promise<void>;
  /** Withdraws a shipment not yet dispatched; throws a non-retryable WarehouseError when it already left. */
  cancelShipment(shipmentId: string): Promise<void>;
}

export class WarehouseError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WarehouseError';
  }
}

/**
 * HTTP client of a warehouse API: POST {baseUrl}/shipments, keyed by shipment id (Idempotency-Key), so a retried
 * activity does not book a second pick. 4xx other than 408/429 are permanent; the rest are retried by Temporal.
 */
export function createHttpWarehouse(baseUrl: string, options: { timeoutMs?: number } = {}): Warehouse {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const call = async (what: string, path: string, init: RequestInit, ok: (status: number) => boolean) => {
    const res = await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    if (ok(res.status)) return;
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new WarehouseError(`Warehouse refused to ${what}: HTTP ${res.status} ${await res.text()}`, retryable);
  };
  return {
    requestShipment: (request) =>
      call(
        `ship ${request.shipmentId}`,
        'shipments',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': request.shipmentId },
          body: JSON.stringify(request),
        },
        (status) => status >= 200 && status < 300,
      ),
    // Cancelling twice, or a shipment the warehouse never got, is fine: 404 means there is nothing to withdraw.
    cancelShipment: (shipmentId) =>
      call(
        `cancel ${shipmentId}`,
        `shipments/${encodeURIComponent(shipmentId)}`,
        { method: 'DELETE' },
        (status) => (status >= 200 && status < 300) || status === 404,
      ),
  };
}
