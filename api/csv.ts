import type { FastifyReply, FastifyRequest } from 'fastify';

export type CsvRow = Record<string, string | number | null>;

/**
 * RFC 4180: a header of the columns, then a line per row (a field it lacks is empty), fields quoted when they
 * hold a separator, a quote or a line break.
 */
export function toCsv(rows: readonly CsvRow[], columns: readonly string[]): string {
  const field = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c] ?? null)).join(','))].join('\r\n') + '\r\n'
  );
}

/** JSON, or the rows as CSV in those columns when the client asks for text/csv (a spreadsheet, a BI tool). */
export function jsonOrCsv<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  body: T,
  csv: { rows: (body: T) => CsvRow[]; columns: readonly string[] },
) {
  if (!request.headers.accept?.includes('text/csv')) return body;
  return reply.type('text/csv; charset=utf-8').send(toCsv(csv.rows(body), csv.columns));
}
