import type { FastifyReply, FastifyRequest } from 'fastify';

export type CsvRow = Record<string, string | number | null>;

/** RFC 4180: a header of the first row's keys, fields quoted when they hold a separator, a quote or a line break. */
export function toCsv(rows: readonly CsvRow[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const field = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c] ?? null)).join(','))].join('\r\n') + '\r\n'
  );
}

/** JSON, or the rows as CSV when the client asks for text/csv (a spreadsheet, a BI tool). */
export function jsonOrCsv<T>(request: FastifyRequest, reply: FastifyReply, body: T, rows: (body: T) => CsvRow[]) {
  if (!request.headers.accept?.includes('text/csv')) return body;
  return reply.type('text/csv; charset=utf-8').send(toCsv(rows(body)));
}
