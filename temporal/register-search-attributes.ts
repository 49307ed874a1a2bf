import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: named exports are not visible to ESM
import { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from './search-attributes.js';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
const protoType: Partial<Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};
const ALREADY_EXISTS = 6;
const UNIMPLEMENTED = 12;

const grpcCode = (err: unknown) => (err as { code?: number }).code;

/**
 * Adds any of our search attributes the namespace lacks, so every process may call it on start-up. Servers that
 * cannot list them (the time-skipping test server) get each one added, with "already exists" taken as done.
 * Temporal Cloud refuses this call: register the attributes there once with tcld.
 */
export async function registerSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<void> {
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    if (grpcCode(err) !== UNIMPLEMENTED) throw err;
  }
  for (const key of ALL_SEARCH_ATTRIBUTES.filter((k) => !(k.name in existing))) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [key.name]: protoType[key.type]! },
      });
    } catch (err) {
      if (grpcCode(err) === ALREADY_EXISTS) continue; // another process won the race
      throw new Error(`Could not register search attribute ${key.name}: ${(err as Error).message}`);
    }
  }
}
