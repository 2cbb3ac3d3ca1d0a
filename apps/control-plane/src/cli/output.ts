/**
 * Output helpers: colours (only for a terminal, never with NO_COLOR), kubectl-style tables
 * (columns separated by three spaces, no borders, so `awk` and `grep` work), ages, and YAML/JSON.
 */
import { stringify } from 'yaml';
import type { Env, OutputStream } from './io.ts';

export type Style = (text: string) => string;

export interface Colours {
  enabled: boolean;
  red: Style;
  green: Style;
  yellow: Style;
  cyan: Style;
  bold: Style;
  dim: Style;
}

/**
 * Colour when the stream is a terminal, unless NO_COLOR is set (https://no-color.org: any
 * non-empty value) or TERM=dumb. FORCE_COLOR (non-empty, not `0`) forces it, e.g. in CI logs.
 */
export function colourEnabled(stream: OutputStream, env: Env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const sgr = (open: number, close: number): Style => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Style = (text) => text;

export function colours(enabled: boolean): Colours {
  if (!enabled) return { enabled, red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
  return { enabled, red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

/** A table cell: text, or text with a style applied after padding (so colours do not break alignment). */
export type Cell = string | { text: string; style: Style };

/** Columns separated by three spaces; the last column is not padded. Ends with a newline. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (c: Cell | undefined): string => (c === undefined ? '' : typeof c === 'string' ? c : c.text);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => width(text(r[i])))));
  const line = (cells: readonly Cell[]): string =>
    headers
      .map((_, i) => {
        const cell = cells[i];
        const value = text(cell);
        const padded = i === headers.length - 1 ? value : value + ' '.repeat(widths[i]! - width(value));
        return cell !== undefined && typeof cell !== 'string' ? cell.style(padded) : padded;
      })
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Display width: code points (good enough for names, which are ASCII). */
const width = (s: string): number => [...s].length;

/** `45s`, `12m`, `5h`, `3d`, `2y`: how long ago `iso` was (kubectl's AGE, coarser). */
export function age(iso: string | null | undefined, now: Date): string {
  if (!iso) return '-';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '-';
  const s = Math.max(0, Math.floor((now.getTime() - then) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The first `n` characters of a version (opaque hashes: 8 are plenty to tell them apart). */
export const shortVersion = (v: string | null | undefined, n = 8): string => (v ? v.slice(0, n) : '-');

/** One line, at most `max` characters, with `…` when cut. */
export function truncate(text: string, max: number): string {
  const line = text.split('\n')[0]!;
  const chars = [...line];
  return chars.length > max || line !== text ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : line;
}

export const toYaml = (value: unknown): string => stringify(value, { lineWidth: 0 });
export const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** A unified diff with + lines green, - lines red, hunk headers cyan, file headers bold. */
export function colourDiff(diff: string, c: Colours): string {
  // The `====…` banner of the diff library says nothing the file headers do not.
  const text = diff.replace(/^=+\n/, '');
  if (!c.enabled) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}

/** Every line indented by `prefix` (empty lines stay empty). */
export const indent = (text: string, prefix: string): string =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? prefix + l : l))
    .join('\n');
