/** `--output`: json for machines (stdout holds one JSON document), table for people. */
export type OutputFormat = 'json' | 'table';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json'];
/** `emr list` also writes csv: the virtual clusters and their tenants, for the cost queries (artifacts/cost/). */
export type ListOutputFormat = OutputFormat | 'csv';
export const LIST_OUTPUT_FORMATS: readonly ListOutputFormat[] = [...OUTPUT_FORMATS, 'csv'];

/** One JSON document, two-space indented, with a final newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Columns aligned on the widest cell, two spaces apart, no trailing blanks; `-` for an empty cell. */
export function toTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => row[i] || '-'));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return `${cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
