import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerDocuments, electronicAddressOf } from '../../domain/electronic-address.js';

/** Where a VAT id alone gives an electronic address. */
const VAT_ID_ADDRESS_COUNTRIES = ['BE', 'DE', 'FR', 'NL', 'NO'];

describe('electronicAddressOf', () => {
  it('a registered Peppol participant id wins over the VAT id', () => {
    const peppol = { id: '12345678', scheme: '0106' };
    expect(electronicAddressOf({ vatId: 'NL123456789B01', peppol })).toEqual(peppol);
    expect(electronicAddressOf({ vatId: 'NO974760673MVA', peppol: { id: '0123456749', scheme: '0208' } })).toEqual({
      id: '0123456749',
      scheme: '0208',
    });
    expect(electronicAddressOf({ peppol: { id: '123456789', scheme: '0060' } })).toEqual({
      id: '123456789',
      scheme: '0060',
    });
    expect(electronicAddressOf({ vatId: null, peppol: { id: '123456789', scheme: '0060' } })).toEqual({
      id: '123456789',
      scheme: '0060',
    });
  });

  it.each([
    ['NL123456789B01', '9944'],
    ['BE0123456749', '9925'],
    ['DE123456789', '9930'],
    ['FR40303265045', '9957'],
  ])('VAT id %s is the electronic address in scheme %s', (vatId, scheme) => {
    expect(electronicAddressOf({ vatId })).toEqual({ id: vatId, scheme });
  });

  it('a Norwegian VAT id gives the organisation number in scheme 0192', () => {
    expect(electronicAddressOf({ vatId: 'NO974760673MVA' })).toEqual({ id: '974760673', scheme: '0192' });
    expect(electronicAddressOf({ vatId: 'NO923609016MVA' })).toEqual({ id: '923609016', scheme: '0192' });
  });

  it('a malformed Norwegian VAT id gives none (the org.nr. is not guessed)', () => {
    for (const vatId of ['NO974760673', 'NO97476067MVA', 'NO9747606731MVA', 'no974760673mva', 'NO 974760673 MVA']) {
      expect(electronicAddressOf({ vatId })).toBeUndefined();
    }
  });

  it('other countries VAT ids and no VAT id give no electronic address', () => {
    for (const vatId of [
      'ATU12345678',
      'DK12345678',
      'ESA12345674',
      'EL094259216',
      'GB123456789',
      'CHE123456789MWST',
      'nl123456789B01',
    ]) {
      expect(electronicAddressOf({ vatId })).toBeUndefined();
    }
    expect(electronicAddressOf({})).toBeUndefined();
    expect(electronicAddressOf({ vatId: undefined })).toBeUndefined();
    expect(electronicAddressOf({ vatId: null })).toBeUndefined();
    expect(electronicAddressOf({ vatId: '' })).toBeUndefined();
  });

  it('gives a customer with an electronic address the PDF and the UBL, one without the PDF alone', () => {
    expect(customerDocuments({ vatId: 'NL987654321B01' })).toEqual(['pdf', 'ubl']);
    expect(customerDocuments({ peppolId: '87654321', peppolScheme: '0106' })).toEqual(['pdf', 'ubl']);
    expect(customerDocuments({ vatId: 'DK13585628' })).toEqual(['pdf']);
    expect(customerDocuments({})).toEqual(['pdf']);
  });

  it('a VAT id gives an address exactly when its prefix is one of VAT_ID_ADDRESS_COUNTRIES (NO: in the MVA form)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('NL', 'BE', 'DE', 'FR', 'NO', 'AT', 'DK', 'SE', 'US'),
        fc.stringMatching(/^\d{9}$/),
        (prefix, digits) => {
          const vatId = prefix === 'NO' ? `NO${digits}MVA` : `${prefix}${digits}`;
          const address = electronicAddressOf({ vatId });
          expect(address !== undefined).toBe(VAT_ID_ADDRESS_COUNTRIES.includes(prefix));
          if (address !== undefined) {
            expect(address.scheme).toMatch(/^\d{4}$/);
            expect(address.id).toBe(prefix === 'NO' ? digits : vatId);
          }
        },
      ),
    );
  });
});
