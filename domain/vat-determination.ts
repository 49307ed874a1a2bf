/**
 * Which VAT category and rate a line gets, from where seller and buyer are, whether the buyer is VAT
 * registered, and what is sold. The rules a Dutch, Belgian, German or Norwegian finance team applies by hand:
 *
 * - exempt products are exempt (E) wherever they go;
 * - within one country: the seller country's rate (S), or zero rated (Z);
 * - between two EU member states to a buyer with a VAT id: goods are an intra-community supply (K), services
 *   are reverse charged (AE); without a VAT id (a consumer) the seller's domestic rate applies (distance-sales
 *   thresholds and OSS are out of scope);
 * - across the EU's border (including to or from Norway): goods are exported (G), services are outside the
 *   scope of the seller's VAT (O).
 *
 * A buyer VAT id is only checked for its form here; confirming it in VIES is the credit controller's job when
 * the customer is created.
 */
import { EU_MEMBER_STATES, type VatCategory } from './tax.js';
import { vatRate, type VatRateKind } from './vat-rates.js';

export const PRODUCT_VAT_RATES = ['standard', 'reduced', 'second-reduced', 'zero', 'exempt'] as const;
export type ProductVatRate = (typeof PRODUCT_VAT_RATES)[number];
export const SUPPLY_KINDS = ['goods', 'services'] as const;
export type SupplyKind = (typeof SUPPLY_KINDS)[number];

export interface VatSituation {
  sellerCountry: string;
  buyerCountry: string;
  buyerVatId?: string | undefined;
  /** The tax point (YYYY-MM-DD): decides which dated rate applies. */
  date: string;
}

export const EXEMPT: VatCategory = { code: 'E', rateBp: 0, exemptionReason: 'Exempt from VAT' };

export function vatCategoryFor(
  situation: VatSituation,
  product: { vatRate: ProductVatRate; supply: SupplyKind },
): VatCategory {
  const { sellerCountry, buyerCountry, buyerVatId } = situation;
  if (product.vatRate === 'exempt') return EXEMPT;
  const domestic = (): VatCategory => {
    const kind: VatRateKind = product.vatRate as VatRateKind;
    const rateBp = vatRate(sellerCountry, kind, situation.date); // throws where the country has no such rate
    return kind === 'zero' ? { code: 'Z', rateBp: 0 } : { code: 'S', rateBp };
  };
  if (sellerCountry === buyerCountry) return domestic();
  const bothInEu = EU_MEMBER_STATES.has(sellerCountry) && EU_MEMBER_STATES.has(buyerCountry);
  if (bothInEu) {
    if (!buyerVatId) return domestic();
    return product.supply === 'goods' ? { code: 'K', rateBp: 0 } : { code: 'AE', rateBp: 0 };
  }
  return product.supply === 'goods' ? { code: 'G', rateBp: 0 } : { code: 'O', rateBp: 0 };
}
