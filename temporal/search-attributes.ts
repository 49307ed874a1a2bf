import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Typed search attributes so admins can filter orders in the Temporal UI. Imported by workflow code.
export const CustomerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderStatus = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const InvoiceNumber = defineSearchAttributeKey('InvoiceNumber', SearchAttributeType.KEYWORD);
export const DunningLevel = defineSearchAttributeKey('DunningLevel', SearchAttributeType.INT);
export const AmountOutstanding = defineSearchAttributeKey('AmountOutstanding', SearchAttributeType.INT);

export const ALL_SEARCH_ATTRIBUTES = [CustomerId, OrderStatus, InvoiceNumber, DunningLevel, AmountOutstanding];

/** `Name=Type` pairs in the form `temporal server start-dev --search-attribute` takes. */
export const devServerSearchAttributeFlags = (): string[] =>
  ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeName(key.type)}`]);

function cliTypeName(type: SearchAttributeType): string {
  switch (type) {
    case SearchAttributeType.KEYWORD:
      return 'Keyword';
    case SearchAttributeType.INT:
      return 'Int';
    default:
      throw new Error(`No CLI name for search attribute type ${type}`);
  }
}
