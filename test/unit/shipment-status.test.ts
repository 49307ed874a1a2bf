import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IN_WAREHOUSE_STAGES,
  SHIPMENT_EVENT_TYPES,
  SHIPMENT_STAGES,
  advanceShipment,
  hasLeftWarehouse,
  stagesBefore,
  type ShipmentStage,
} from '../../domain/shipment-status.js';

describe('shipment stages', () => {
  it('moves forward through the warehouse reports', () => {
    let stage = advanceShipment('requested', 'picked');
    expect(stage).toBe('picked');
    stage = advanceShipment(stage, 'packed');
    stage = advanceShipment(stage, 'dispatched');
    expect(advanceShipment(stage, 'delivered')).toBe('delivered');
  });

  it('skips stages a warehouse does not report, and never moves back on a late report', () => {
    expect(advanceShipment('requested', 'dispatched')).toBe('dispatched');
    expect(advanceShipment('delivered', 'dispatched')).toBe('delivered');
    expect(advanceShipment('packed', 'picked')).toBe('packed');
  });

  it('ends in the latest stage reported, whatever order the reports arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SHIPMENT_EVENT_TYPES), { minLength: 1 }), (events) => {
        const final = events.reduce(advanceShipment, 'requested' as ShipmentStage);
        const latest = events.reduce((a, b) => (SHIPMENT_STAGES.indexOf(b) > SHIPMENT_STAGES.indexOf(a) ? b : a));
        expect(final).toBe(latest);
        expect([...events].reverse().reduce(advanceShipment, 'requested' as ShipmentStage)).toBe(final);
      }),
    );
  });

  it('knows when the goods have left and which stages an event moves a shipment out of', () => {
    expect(IN_WAREHOUSE_STAGES).toEqual(['booked', 'requested', 'picked', 'packed']);
    expect(hasLeftWarehouse('dispatched')).toBe(true);
    expect(hasLeftWarehouse('packed')).toBe(false);
    expect(stagesBefore('packed')).toEqual(['booked', 'requested', 'picked']);
    expect(stagesBefore('delivered')).toEqual(['booked', 'requested', 'picked', 'packed', 'dispatched']);
  });
});
