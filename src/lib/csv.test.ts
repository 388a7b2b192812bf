import fc from 'fast-check';
import { csvCell, parseCsv, toCsv } from './csv.ts';
import { formulaPieces, HOSTILE_CSV_TEXTS } from './csv-test-support.ts';

describe('CSV', () => {
  it('neutralises formula starts (checklist #9)', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('Sale')).toBe('Sale');
    expect(csvCell(-5)).toBe('-5');
  });

  it('quotes separators, quotes and line breaks, and reads back', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
        const back = parseCsv(toCsv(['a', 'b'], rows));
        expect(back[0]).toEqual(['a', 'b']);
        back.slice(1).forEach((r, i) =>
          r.forEach((cell, j) => {
            const original = rows[i]![j]!;
            const defused = (/^[=+\-@\t\r]/.test(original) ? `'${original}` : original).replace(/([,;\t\r\n])(?=[=+\-@\t\r])/g, "$1'");
            expect(cell).toBe(defused);
          }),
        );
      }),
    );
  });

  it('no cell starts a formula whether the file is read with , ; or tab as separator (German Excel)', () => {
    const csv = toCsv(
      ['a', 'b'],
      HOSTILE_CSV_TEXTS.map((t) => [t, `x${t}`]),
    );
    expect(formulaPieces(csv)).toEqual([]);
    expect(csvCell('Messaging;=2+2')).toMatch(/^"/);
    expect(csvCell('a\tb')).toMatch(/^"/);
  });
});
