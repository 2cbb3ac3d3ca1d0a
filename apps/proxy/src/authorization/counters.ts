/**
 * Bounded counters keyed by label sets, for the authorization metrics: at most `max` distinct
 * label sets are kept apart; later new ones are counted under `fold(labels)` (a fixed "other"
 * set) and in `folded`, so a caller minting identities cannot grow the proxy's memory.
 */

export type Labels = Readonly<Record<string, string>>;

export interface BoundedCounter {
  inc(labels: Labels, by?: number): void;
  entries(): Array<[Labels, number]>;
  /** Increments that went to the folded label set because the cap was reached. */
  folded(): number;
}

export function createBoundedCounter(max: number, fold: (labels: Labels) => Labels): BoundedCounter {
  const counts = new Map<string, { labels: Labels; value: number }>();
  let folded = 0;
  const keyOf = (labels: Labels): string => JSON.stringify(labels);
  return {
    inc(labels, by = 1) {
      let key = keyOf(labels);
      let entry = counts.get(key);
      if (entry === undefined && counts.size >= max) {
        folded += by;
        labels = fold(labels);
        key = keyOf(labels);
        entry = counts.get(key);
      }
      if (entry === undefined) counts.set(key, (entry = { labels, value: 0 }));
      entry.value += by;
    },
    entries: () => [...counts.values()].map((e) => [e.labels, e.value]),
    folded: () => folded,
  };
}

/** Label value escaping of the Prometheus text format. */
function escape(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function promLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',');
}

/** One counter family in the text format (HELP, TYPE, one line per label set). */
export function counterFamily(name: string, help: string, samples: Array<[Labels, number]>): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...samples.map(([labels, v]) => (Object.keys(labels).length === 0 ? `${name} ${v}` : `${name}{${promLabels(labels)}} ${v}`))];
}
