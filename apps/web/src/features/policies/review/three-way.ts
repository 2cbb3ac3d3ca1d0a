/**
 * A line-based three-way merge (diff3) of a draft with a newer stored version, both changed from
 * the version the draft started from: what only one side changed is taken as it is; where both
 * changed the same lines differently, the draft's lines are kept and counted as a conflict.
 */
import { diff3Merge } from 'node-diff3';

export interface MergeOutcome {
  text: string;
  /** Places where both sides changed the same lines differently (the draft's lines kept). */
  conflicts: number;
}

export function threeWayMerge(mine: string, base: string, theirs: string): MergeOutcome {
  const regions = diff3Merge(mine.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) lines.push(...region.ok);
    else if (region.conflict) {
      conflicts++;
      lines.push(...region.conflict.a);
    }
  }
  return { text: lines.join('\n'), conflicts };
}
