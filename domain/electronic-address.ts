/**
 * The Peppol electronic address (EAS scheme + id) of a party. Every Peppol BIS invoice needs one for the buyer
 * (PEPPOL-EN16931-R010), also when it travels as an e-mail attachment; a buyer without one gets the PDF alone. A registered Peppol participant id wins;
 * otherwise schemes that are the VAT id itself (or, in Norway, the org.nr. inside it) serve.
 */
const VAT_ID_SCHEMES: Readonly<Record<string, string>> = { BE: '9925', DE: '9930', FR: '9957', NL: '9944' };
const NORWEGIAN_VAT_ID = /^NO(\d{9})MVA$/;

export function electronicAddressOf(party: {
  vatId?: string | null | undefined;
  peppol?: { id: string; scheme: string } | undefined;
}): { id: string; scheme: string } | undefined {
  if (party.peppol) return party.peppol;
  if (!party.vatId) return undefined;
  const norwegian = NORWEGIAN_VAT_ID.exec(party.vatId);
  if (norwegian) return { id: norwegian[1]!, scheme: '0192' };
  const scheme = VAT_ID_SCHEMES[party.vatId.slice(0, 2)];
  return scheme ? { id: party.vatId, scheme } : undefined;
}

/** The same for a customer as stored: its Peppol id in two columns. */
export function customerElectronicAddress(c: {
  vatId?: string | null;
  peppolId?: string | null;
  peppolScheme?: string | null;
}): { id: string; scheme: string } | undefined {
  return electronicAddressOf({
    vatId: c.vatId,
    ...(c.peppolId && c.peppolScheme ? { peppol: { id: c.peppolId, scheme: c.peppolScheme } } : {}),
  });
}

export type CustomerDocument = 'pdf' | 'ubl';

/**
 * The documents a customer's invoices come as: always the PDF; the Peppol UBL too where the customer has an
 * electronic address, since a UBL without the buyer's is not valid Peppol BIS (a small buyer who wants the PDF by
 * mail gets just that).
 */
export function customerDocuments(c: Parameters<typeof customerElectronicAddress>[0]): CustomerDocument[] {
  return customerElectronicAddress(c) ? ['pdf', 'ubl'] : ['pdf'];
}
