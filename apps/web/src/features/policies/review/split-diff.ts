/**
 * A unified diff as two aligned columns (before | after), for the review's side-by-side view of
 * a proxy's compiled config: context lines on both sides, a run of removed lines beside the run
 * of added lines that replaced it, the shorter run padded with blanks. Hunk headers start a new
 * block (`@@ -101,7 +101,7 @@` → the line numbers of both sides).
 */
export interface SplitCell {
  /** 1-based line number in its file. */
  line: number;
  text: string;
  kind: 'context' | 'removed' | 'added';
}

export type SplitRow = { hunk: string } | { left: SplitCell | null; right: SplitCell | null };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function splitDiff(unified: string): SplitRow[] {
  const rows: SplitRow[] = [];
  let left = 0;
  let right = 0;
  let removed: SplitCell[] = [];
  let added: SplitCell[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) rows.push({ left: removed[i] ?? null, right: added[i] ?? null });
    removed = [];
    added = [];
  };
  let inHunk = false;
  for (const line of unified.split('\n')) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      flush();
      left = Number(hunk[1]);
      right = Number(hunk[2]);
      rows.push({ hunk: line });
      inHunk = true;
      continue;
    }
    if (!inHunk || line.startsWith('\\')) continue;
    if (line.startsWith('-')) removed.push({ line: left++, text: line.slice(1), kind: 'removed' });
    else if (line.startsWith('+')) added.push({ line: right++, text: line.slice(1), kind: 'added' });
    else if (line.startsWith(' ') || line === '') {
      flush();
      if (line === '') continue;
      rows.push({ left: { line: left++, text: line.slice(1), kind: 'context' }, right: { line: right++, text: line.slice(1), kind: 'context' } });
    }
  }
  flush();
  return rows;
}
