/**
 * CSV for exports (worklist, audit, bulk results). RFC 4180 quoting, plus formula-injection
 * defence (reliability checklist #9): a cell that starts with =, +, -, @, tab or CR is prefixed
 * with an apostrophe so spreadsheet programs show it as text instead of running it.
 *
 * The file uses `,`, but German Excel reads it with `;` (and a paste splits on tab): such a reader
 * ignores our quoting, so `Messaging;=2+2` would put `=2+2` in a cell of its own. Therefore a cell
 * containing `,` `;` tab, a quote or a line break is quoted, and every piece of it that such a
 * reader could see as a cell of its own (after `,` `;` tab, CR or LF) is neutralised the same way.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
/** A separator or line break followed by a formula character: where a foreign reader starts a cell. */
const FORMULA_AFTER_BREAK = /([,;\t\r\n])(?=[=+\-@\t\r])/g;
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string') {
    if (FORMULA_START.test(s)) s = `'${s}`;
    s = s.replace(FORMULA_AFTER_BREAK, "$1'");
  }
  return NEEDS_QUOTES.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  // CRLF line ends and a BOM: what spreadsheet programs open correctly, with umlauts intact.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Reads CSV as written by `toCsv` (RFC 4180, BOM, CRLF or LF): for tests, benchmarks and imports. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Offers the text as a file download (a blob URL on the app's own origin; nothing is sent). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
