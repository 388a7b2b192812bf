/**
 * Test helper: reads an exported CSV the way a spreadsheet program with another list separator
 * might (German Excel uses `;`, a paste uses tab) and returns every piece that would start a
 * formula. Lines are split on CR/LF regardless of quotes and a leading quote is ignored, so a
 * hostile cell is caught however the file is read.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const HOSTILE_CSV_TEXTS = [
  'Messaging;=2+2',
  '=HYPERLINK("http://evil")',
  'Sales,+1',
  'a\t=1+1',
  'line\n@SUM(A1)',
  'cr\r-2',
  ";=cmd|' /C calc'!A0;",
  '"=1+1"',
  '@x',
] as const;

export function formulaPieces(csv: string): string[] {
  const bad: string[] = [];
  for (const line of csv.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/))
    for (const sep of [',', ';', '\t']) for (const piece of line.split(sep)) if (FORMULA_START.test(piece.replace(/^"/, ''))) bad.push(piece);
  return bad;
}
