/**
 * A pg client that reports PostgreSQL's one-byte `"char"` type (OID 18) as `text` (OID 25).
 *
 * Why: @prisma/adapter-pg maps every result column's type OID to a Prisma column type and throws
 * `UnsupportedNativeDataType` for OID 18. The schema engine reads `pg_constraint.contype`, of that
 * type, when it describes a database (the `diff` behind create-migration), so without this every
 * describe fails with "Column type 'char' could not be deserialized". The value pg hands over is
 * already a one-character string, so relabelling the field is enough for text-typed readers.
 *
 * The schema engine, though, reads contype as a Rust `char` and panics on a text value (it shows
 * as soon as a table has a CHECK constraint, or any NOT NULL column on PostgreSQL 18, which lists
 * those in pg_constraint). So the relabelled column positions are also recorded on the result's
 * `rows` array under CHAR_COLUMNS, which the migration adapter (migrate/adapter.ts) uses to report
 * them as Prisma's `Character` column type.
 */
import pg from 'pg';

const CHAR_OID = 18;
const TEXT_OID = 25;

/** Key of the column positions (numbers) that were `"char"`, set on a result's `rows` array. */
export const CHAR_COLUMNS = Symbol('weft.charColumns');

interface ResultWithFields {
  fields?: Array<{ dataTypeID: number }>;
  rows?: unknown[];
}

/** Relabels `"char"` fields in a result, or in each result of a multi-statement query. */
function charAsText<T>(result: T): T {
  const results = (Array.isArray(result) ? result : [result]) as Array<ResultWithFields | null | undefined>;
  for (const r of results) {
    const positions: number[] = [];
    r?.fields?.forEach((field, i) => {
      if (field.dataTypeID !== CHAR_OID) return;
      field.dataTypeID = TEXT_OID;
      positions.push(i);
    });
    if (positions.length && r?.rows) Object.defineProperty(r.rows, CHAR_COLUMNS, { value: positions });
  }
  return result;
}

type AnyCallback = (err: unknown, res: unknown) => void;

/** Pass as `Client` in a pg.Pool config. Covers the promise and callback forms of `query`. */
export class CharAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = super.query.bind(this) as (...args: unknown[]) => unknown;
    const patched = (...args: unknown[]): unknown => {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (err: unknown, res: unknown) => (callback as AnyCallback)(err, err ? res : charAsText(res));
        return query(...args);
      }
      const result = query(...args);
      const thenable = result as { then?: unknown } | null;
      return typeof thenable?.then === 'function' ? (result as Promise<unknown>).then(charAsText) : result;
    };
    this.query = patched as unknown as pg.Client['query'];
  }
}
