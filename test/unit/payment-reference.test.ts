import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  belgianStructuredCommunication,
  dutchPaymentReference,
  invoicePaymentReference,
  isValidBelgianStructuredCommunication,
  isValidDutchPaymentReference,
  isValidKid,
  isValidRfReference,
  kidMod10,
  kidMod11,
  rfReference,
} from '../../domain/payment-reference.js';

/** Every string obtained by replacing one character of `s` (at index >= from) with another of the same class. */
function singleSubstitutions(s: string, from = 0): string[] {
  const digits = '0123456789';
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const out: string[] = [];
  for (let i = from; i < s.length; i++) {
    const ch = s[i] ?? '';
    const pool = digits.includes(ch) ? digits : letters.includes(ch) ? letters : '';
    for (const r of pool) if (r !== ch) out.push(s.slice(0, i) + r + s.slice(i + 1));
  }
  return out;
}

describe('ISO 11649 RF creditor reference', () => {
  // Published examples:
  // - "RF18 5390 0754 7034" (valid), "RF18 5390 0754 70Y" (valid), "RF17 5390 0754 7034" (invalid):
  //   python-stdnum, stdnum/iso11649.py doctests (https://github.com/arthurdejong/python-stdnum); the first is
  //   also the example of the Wikipedia "Creditor Reference" article.
  // - "RF48 5000056789012345", "RF45G72UUR", "RF6518K5": mobilefish.com creditor reference tool page.
  // - "RF712348231": XMLdation wiki, RBS Access Online "RFCreditorReference" example.
  it.each([
    'RF18 5390 0754 7034',
    'RF18539007547034',
    'rf18 5390 0754 70y',
    'RF48 5000056789012345',
    'RF45G72UUR',
    'RF6518K5',
    'RF712348231',
  ])('accepts published valid reference %j', (ref) => {
    expect(isValidRfReference(ref)).toBe(true);
  });

  it('rejects published counter-examples', () => {
    expect(isValidRfReference('RF17 5390 0754 7034')).toBe(false); // python-stdnum doctest
    // An early (2009) revision of the Wikipedia article printed "RF 68 5390 0754 7034"; 68 is wrong, 18 is right.
    expect(isValidRfReference('RF68 5390 0754 7034')).toBe(false);
    // Suggested in our brief as an example, but it does NOT verify: 21 zeros need check digits 04, and
    // "RF18" fits 539007547034 zero-padded to 21 characters.
    expect(isValidRfReference('RF18 0000 0000 0000 0000 0000 0')).toBe(false);
    expect(isValidRfReference('RF04 0000 0000 0000 0000 0000 0')).toBe(true);
    expect(isValidRfReference('RF18 0000 0000 0539 0075 4703 4')).toBe(true);
  });

  it('builds the published references from their reference part', () => {
    expect(rfReference('539007547034')).toBe('RF18539007547034');
    expect(rfReference('5390 0754 70y')).toBe('RF185390075470Y');
    expect(rfReference('INV-2025/000123')).toBe(`RF${rfReference('INV2025000123').slice(2, 4)}INV2025000123`);
    expect(rfReference('0'.repeat(21))).toBe(`RF04${'0'.repeat(21)}`);
  });

  it('rejects empty or over-long reference parts and malformed input', () => {
    expect(() => rfReference(' -/ ')).toThrow(/1\.\.21 alphanumeric/);
    expect(() => rfReference('1'.repeat(22))).toThrow(/ISO 11649/);
    for (const bad of [
      '',
      'RF18',
      'RF1853900754703412345678901',
      'XX18 5390 0754 7034',
      'RF18-5390-0754-7034',
      'RF1A5390',
    ])
      expect(isValidRfReference(bad)).toBe(false);
  });

  it('rejects check digits 00, 01 and 99 even where mod 97 = 1', () => {
    // "02" is correct for this reference part; "99" = 02 + 97 passes the bare mod-97 test.
    const ref = rfReference(findBaseWithCheck(2));
    expect(ref.slice(2, 4)).toBe('02');
    expect(isValidRfReference(`RF99${ref.slice(4)}`)).toBe(false);
  });

  it('every generated reference validates and any same-class single-character change invalidates it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,21}$/), (base) => {
        const ref = rfReference(base);
        expect(ref).toBe(`RF${ref.slice(2, 4)}${base.toUpperCase()}`);
        expect(isValidRfReference(ref)).toBe(true);
        // From index 2: the "RF" prefix itself is fixed, not checked.
        for (const changed of singleSubstitutions(ref, 2)) expect(isValidRfReference(changed)).toBe(false);
      }),
    );
  });
});

/** A numeric reference part whose RF check digits are `check` (search is tiny: checks are uniform). */
function findBaseWithCheck(check: number): string {
  for (let n = 1; ; n++) if (rfReference(String(n)).slice(2, 4) === String(check).padStart(2, '0')) return String(n);
}

describe('Norwegian KID', () => {
  // Published examples:
  // - norwegian-numbers (https://github.com/Ondkloss/norwegian-numbers.js, README and test/norwegian-numbers.ts):
  //   MOD10 1234 -> 12344, 234567 -> 2345676, 0 -> 00; MOD11 1234 -> 12343, 1234567890 -> 12345678903,
  //   31 -> 310, 40 -> "40-".
  // - no-data-validator README (https://github.com/glennwedin/no-data-validator): KID 2707841373001170014 (MOD11).
  // - IBM "modulus 10/11 self-check digit" examples (ckeyes.com kpfaq): 61248 -> check 1 (mod 10),
  //   13739 -> check 1 (mod 11, weights 2..7 from the right, remainder 10 -> 1), the same arithmetic as KID.
  // - Luhn: Wikipedia "Luhn algorithm", 7992739871 -> check 3.
  // Rule source: Nets "System Specification OCR giro" (check digit modulus 10 or 11, last position of KID,
  // max 25 digits) and Cordel wiki "Krav til oppsett av giroblankett for OCR".
  it('MOD10 (Luhn) examples', () => {
    expect(kidMod10('1234')).toBe('12344');
    expect(kidMod10('234567')).toBe('2345676');
    expect(kidMod10('0')).toBe('00');
    expect(kidMod10('61248')).toBe('612481');
    expect(kidMod10('7992739871')).toBe('79927398713');
    expect(isValidKid('2345676', 'MOD10')).toBe(true);
  });

  it('MOD11 examples', () => {
    expect(kidMod11('1234')).toBe('12343');
    expect(kidMod11('1234567890')).toBe('12345678903');
    expect(kidMod11('31')).toBe('310');
    expect(kidMod11('13739')).toBe('137391');
    expect(isValidKid('2707841373001170014', 'MOD11')).toBe(true);
    expect(isValidKid('2707841373001170014', 'MOD10')).toBe(false);
    expect(isValidKid('2707841373001170014')).toBe(true);
  });

  it('never issues or accepts the "-" check digit (MOD11 remainder 1)', () => {
    expect(() => kidMod11('40')).toThrow(/check digit "-"/);
    expect(isValidKid('40-')).toBe(false);
  });

  it('rejects malformed KIDs and bases', () => {
    expect(() => kidMod10('')).toThrow(/1\.\.24 digits/);
    expect(() => kidMod10('12a')).toThrow(/1\.\.24 digits/);
    expect(() => kidMod11('1'.repeat(25))).toThrow(/1\.\.24 digits/);
    for (const bad of ['', '4', 'abc', '1234 4x', '1'.repeat(26)]) expect(isValidKid(bad)).toBe(false);
    expect(isValidKid('1234 4')).toBe(true); // spaces as printed are tolerated
  });

  it('MOD10: every generated KID validates; any single-digit change invalidates it', () => {
    // Luhn catches every single-digit substitution; it misses some adjacent transpositions (09 <-> 90).
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,24}$/), (base) => {
        const kid = kidMod10(base);
        expect(isValidKid(kid, 'MOD10')).toBe(true);
        for (const changed of singleSubstitutions(kid)) expect(isValidKid(changed, 'MOD10')).toBe(false);
      }),
    );
  });

  it('MOD11: every generated KID validates; any single-digit change invalidates it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,24}$/), (base) => {
        let kid: string;
        try {
          kid = kidMod11(base);
        } catch {
          return; // "-" bases are refused by design (tested above)
        }
        expect(isValidKid(kid, 'MOD11')).toBe(true);
        for (const changed of singleSubstitutions(kid)) expect(isValidKid(changed, 'MOD11')).toBe(false);
      }),
    );
  });
});

describe('Belgian structured communication (OGM/VCS)', () => {
  // Published examples:
  // - python-stdnum stdnum/be/ogm_vcs.py doctests: "+++010/8068/17183+++" valid, "010/8068/17180" invalid,
  //   check digits of 0108068171 = 83.
  // - XMLdation wiki, ABBL reference: "+++312401398067+++" (mod 97 of the first 10 digits, 0 -> 97).
  // - eConnect docs "Payment reference Belgium": "+++090/9337/55493+++".
  it.each([
    '+++010/8068/17183+++',
    '***010/8068/17183***',
    '010806817183',
    '+++312401398067+++',
    '+++090/9337/55493+++',
  ])('accepts published valid communication %j', (s) => {
    expect(isValidBelgianStructuredCommunication(s)).toBe(true);
  });

  it('rejects published and constructed invalid ones', () => {
    for (const bad of [
      '010/8068/17180',
      '+++010/8068/17180+++',
      '+++010/8068/17183***',
      '+++010/8068/1718+++',
      '+++010/8068/17183',
      '',
    ])
      expect(isValidBelgianStructuredCommunication(bad)).toBe(false);
  });

  it('builds the published example and maps remainder 0 to 97', () => {
    expect(belgianStructuredCommunication('0108068171')).toBe('+++010/8068/17183+++');
    expect(belgianStructuredCommunication('0000000097')).toBe('+++000/0000/09797+++');
    expect(belgianStructuredCommunication('0000000000')).toBe('+++000/0000/00097+++');
    expect(() => belgianStructuredCommunication('123')).toThrow(/exactly 10 digits/);
  });

  it('every generated communication validates; any single-digit change invalidates it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), (base) => {
        const s = belgianStructuredCommunication(base);
        expect(isValidBelgianStructuredCommunication(s)).toBe(true);
        for (const changed of singleSubstitutions(s))
          expect(isValidBelgianStructuredCommunication(changed)).toBe(false);
      }),
    );
  });
});

describe('Dutch betalingskenmerk (16 digits)', () => {
  // Published example and rule: Betaalvereniging Nederland, "Specificaties betalingskenmerk"
  // (https://www.betaalvereniging.nl/betalingsverkeer/giraal-betalingsverkeer/wijzigingen-verwerking-acceptgirobetalingen/specificaties-betalingskenmerk/):
  // weights 2,4,8,5,10,9,7,3,6,1 from the right, C = 11 - (sum mod 11), 10 -> 1, 11 -> 0;
  // example (5)000 0567 8901 2345 with sum 215. The same text is on the XMLdation wiki (RBS "Betalinskenmerk").
  it('accepts and builds the published example', () => {
    expect(isValidDutchPaymentReference('5000056789012345')).toBe(true);
    expect(isValidDutchPaymentReference('5000 0567 8901 2345')).toBe(true);
    expect(dutchPaymentReference('000056789012345')).toBe('5000056789012345');
    expect(dutchPaymentReference('56789012345')).toBe('5000056789012345');
  });

  it('rejects wrong check digits, other lengths and non-digits', () => {
    expect(isValidDutchPaymentReference('4000056789012345')).toBe(false);
    // "12 2345 3462 2567" is the spec's 14-digit example with a length code: a form we do not support.
    for (const bad of ['12234534622567', '500005678901234', '50000567890123450', '500005678901234x', ''])
      expect(isValidDutchPaymentReference(bad)).toBe(false);
    expect(() => dutchPaymentReference('1'.repeat(16))).toThrow(/1\.\.15 digits/);
    expect(() => dutchPaymentReference('12-34')).toThrow(/1\.\.15 digits/);
  });

  it('shares check digit 1 between remainders 1 and 10, so it can miss a single wrong digit', () => {
    expect(isValidDutchPaymentReference('1000000000000005')).toBe(true); // sum 10 -> C = 1
    expect(isValidDutchPaymentReference('1900000000000005')).toBe(true); // sum 100 -> C = 10 -> 1
  });

  it('every generated reference validates; with a check digit other than 1 any single-digit change invalidates it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,15}$/), (base) => {
        const ref = dutchPaymentReference(base);
        expect(isValidDutchPaymentReference(ref)).toBe(true);
        if (ref[0] === '1') return;
        for (const changed of singleSubstitutions(ref)) expect(isValidDutchPaymentReference(changed)).toBe(false);
      }),
    );
  });
});

describe('invoicePaymentReference (per the seller entity scheme)', () => {
  const invoice = { entityNo: 42, year: 2026, sequence: 123 };

  it('rf: the RF creditor reference of entity number, year and 7-digit sequence, whatever the invoice number', () => {
    const ref = invoicePaymentReference('rf', invoice);
    expect(ref).toBe(rfReference('4220260000123'));
    expect(isValidRfReference(ref)).toBe(true);
    expect(invoicePaymentReference('rf', { ...invoice, entityNo: 7 })).not.toBe(ref);
    expect(invoicePaymentReference('rf', { ...invoice, sequence: 124 })).not.toBe(ref);
    expect(invoicePaymentReference('rf', { entityNo: 9999, year: 2026, sequence: 9_999_999 })).toMatch(
      /^RF\d{2}\d{15}$/,
    );
  });

  it('kid: entity number, year and 7-digit sequence with a MOD10 check digit', () => {
    const ref = invoicePaymentReference('kid', invoice);
    expect(ref).toBe(kidMod10('4220260000123'));
    expect(ref.slice(0, -1)).toBe('42' + '2026' + '0000123');
    expect(isValidKid(ref, 'MOD10')).toBe(true);
    expect(invoicePaymentReference('kid', { ...invoice, entityNo: 9999, sequence: 9_999_999 })).toBe(
      kidMod10('999920269999999'),
    );
    expect(invoicePaymentReference('kid', { ...invoice, entityNo: 1, sequence: 1 })).toBe(kidMod10('120260000001'));
  });

  it('nl: the 16-digit betalingskenmerk of the same base, zero-padded to 15 digits', () => {
    const ref = invoicePaymentReference('nl', invoice);
    expect(ref).toBe(dutchPaymentReference('4220260000123'));
    expect(ref).toMatch(/^\d{16}$/);
    expect(ref.slice(1)).toBe('004220260000123');
    expect(isValidDutchPaymentReference(ref)).toBe(true);
    const widest = invoicePaymentReference('nl', { ...invoice, entityNo: 9999, sequence: 9_999_999 });
    expect(widest.slice(1)).toBe('999920269999999');
    expect(isValidDutchPaymentReference(widest)).toBe(true);
  });

  it.each([0, -1, 10_000, 1.5, Number.NaN])('refuses entityNo %s for the numeric schemes', (entityNo) => {
    expect(() => invoicePaymentReference('kid', { ...invoice, entityNo })).toThrow(/entityNo must be 1\.\.9999/);
    expect(() => invoicePaymentReference('nl', { ...invoice, entityNo })).toThrow(/entityNo must be 1\.\.9999/);
  });

  it('refuses a sequence or year that would not fit its fixed width (and so could repeat another reference)', () => {
    // Without the check these two gave the same KID 120202000000015 and betalingskenmerk 5012020200000001.
    const a = { entityNo: 1, year: 2020, sequence: 200_000_001 };
    const b = { entityNo: 120, year: 2020, sequence: 1 };
    for (const scheme of ['rf', 'kid', 'nl'] as const) {
      expect(() => invoicePaymentReference(scheme, a)).toThrow(/sequence must be 0\.\.9999999/);
      expect(invoicePaymentReference(scheme, b)).toBe(
        { rf: rfReference, kid: kidMod10, nl: dutchPaymentReference }[scheme]('12020200000001'),
      );
      expect(() => invoicePaymentReference(scheme, { ...b, sequence: -1 })).toThrow(/sequence must be/);
      expect(() => invoicePaymentReference(scheme, { ...b, sequence: 1.5 })).toThrow(/sequence must be/);
      expect(() => invoicePaymentReference(scheme, { ...b, year: 26 })).toThrow(/year must have 4 digits/);
      expect(() => invoicePaymentReference(scheme, { ...b, year: 20_260 })).toThrow(/year must have 4 digits/);
    }
  });

  it('distinct (entityNo, sequence) pairs in one year never give the same RF, KID or betalingskenmerk', () => {
    const pair = fc.record({
      entityNo: fc.integer({ min: 1, max: 9999 }),
      sequence: fc.integer({ min: 0, max: 9_999_999 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), pair, pair, (year, p, q) => {
        fc.pre(p.entityNo !== q.entityNo || p.sequence !== q.sequence);
        for (const scheme of ['rf', 'kid', 'nl'] as const) {
          const a = invoicePaymentReference(scheme, { year, ...p });
          const b = invoicePaymentReference(scheme, { year, ...q });
          expect(a).not.toBe(b);
          if (scheme === 'rf') expect(isValidRfReference(a)).toBe(true);
          else if (scheme === 'kid') expect(isValidKid(a, 'MOD10')).toBe(true);
          else expect(isValidDutchPaymentReference(a)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('collision-prone pairs (an entity number that is another one followed by the year digits) stay distinct', () => {
    // entityNo 1 and 12/120/1202 share leading digits with "1" + "2026..."; fixed widths keep them apart.
    const refs = new Set<string>();
    for (const entityNo of [1, 12, 120, 1202, 2, 20, 202, 2026])
      for (const sequence of [0, 1, 2026, 6_000_000, 9_999_999])
        for (const scheme of ['rf', 'kid', 'nl'] as const)
          refs.add(`${scheme}:${invoicePaymentReference(scheme, { entityNo, year: 2026, sequence })}`);
    expect(refs.size).toBe(8 * 5 * 3);
  });
});
