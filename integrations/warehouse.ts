export interface ShipmentRequest {
  shipmentId: string;
  orderId: string;
  warehouseCode: string;
  lines: { sku: string; quantity: number }[];
}

/** The warehouse / 3PL we hand shipments to. It reports progress back through POST /v1/shipments/:id/events. */
export interface Warehouse {
  requestShipment(request: ShipmentRequest): Promise<void>;
}

export class WarehouseError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'WarehouseError';
  }
}

/**
 * HTTP client of a warehouse API: POST {baseUrl}/shipments, keyed by shipment id (Idempotency-Key), so a retried
 * activity does not book a second pick. 4xx other than 408/429 are permanent; the rest are retried by Temporal.
 */
export function createHttpWarehouse(baseUrl: string, options: { timeoutMs?: number } = {}): Warehouse {
  return {
    async requestShipment(request) {
      const res = await fetch(new URL('shipments', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.shipmentId },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (res.ok) return;
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new WarehouseError(`Warehouse refused shipment ${request.shipmentId}: HTTP ${res.status} ${await res.text()}`, retryable);
    },
  };
}
