/**
 * A shipment's life: created (`booked`), handed to the warehouse (`requested`), then the warehouse's own
 * reports `picked` → `packed` → `dispatched` → `delivered`; or withdrawn (`cancelled`) before it left.
 * Warehouse reports arrive late, twice or out of order; a stage never moves back.
 */
export const SHIPMENT_STAGES = ['booked', 'requested', 'picked', 'packed', 'dispatched', 'delivered'] as const;
export type ShipmentStage = (typeof SHIPMENT_STAGES)[number];
export type ShipmentStatus = ShipmentStage | 'cancelled';

/** What a warehouse or carrier may report through the webhook. */
export const SHIPMENT_EVENT_TYPES = ['picked', 'packed', 'dispatched', 'delivered'] as const;
export type ShipmentEventType = (typeof SHIPMENT_EVENT_TYPES)[number];

const rank = (stage: ShipmentStage) => SHIPMENT_STAGES.indexOf(stage);

/** The stage after an event: the later of the two, so a late or repeated report changes nothing. */
export function advanceShipment(current: ShipmentStage, event: ShipmentEventType): ShipmentStage {
  return rank(event) > rank(current) ? event : current;
}

/** Dispatched or beyond: the goods are out of our hands, so the shipment can be neither withdrawn nor cancelled. */
export function hasLeftWarehouse(stage: ShipmentStage): boolean {
  return rank(stage) >= rank('dispatched');
}

/** The stages a report of `event` moves a shipment out of (for the forward-only database update). */
export function stagesBefore(event: ShipmentEventType): ShipmentStage[] {
  return SHIPMENT_STAGES.slice(0, rank(event));
}

/** Stages in which the goods are still in the warehouse: withdrawable, and watched for being stuck. */
export const IN_WAREHOUSE_STAGES: ShipmentStage[] = SHIPMENT_STAGES.filter((s) => !hasLeftWarehouse(s));
