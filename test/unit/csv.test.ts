import { describe, expect, it } from 'vitest';
import { toCsv } from '../../api/csv.js';

describe('CSV for reports (RFC 4180)', () => {
  it('writes a header of the columns, CRLF lines, empty fields for null, quotes only where needed', () => {
    expect(
      toCsv(
        [
          { currency: 'EUR', note: 'plain', amount: 1250, dso: null },
          { currency: 'NOK', note: 'a "quoted", comma\nand a line break', amount: -5, dso: 43.6 },
        ],
        ['currency', 'note', 'amount', 'dso'],
      ),
    ).toBe('currency,note,amount,dso\r\nEUR,plain,1250,\r\nNOK,"a ""quoted"", comma\nand a line break",-5,43.6\r\n');
  });

  it('keeps the header without rows, and leaves a field a row lacks empty', () => {
    expect(toCsv([], ['currency', 'amount'])).toBe('currency,amount\r\n');
    expect(toCsv([{ currency: 'EUR' }, { currency: 'NOK', amount: 5 }], ['currency', 'amount'])).toBe(
      'currency,amount\r\nEUR,\r\nNOK,5\r\n',
    );
  });
});
