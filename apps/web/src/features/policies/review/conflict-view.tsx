'use client';

import type { Revision, StoredResource } from '@weft/contracts/resources';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format-time';
import { Button } from '../../ui/button';
import { Alert } from '../../ui/feedback';
import { FormActions } from '../../ui/field';
import { Section } from '../../ui/page';
import { editableYaml, withResourceVersion } from '../policy-text';
import { SideBySideDiff } from './side-by-side-diff';
import { threeWayMerge } from './three-way';

export interface ConflictViewProps {
  /** What is stored now (someone else's change). */
  theirs: StoredResource;
  /** Their revision, for who/when/why. */
  theirRevision: Revision | null;
  /** The draft that was refused. */
  mine: string;
  /** The text the draft started from (the stored version when the editor opened). */
  base: string;
  /** The text to edit next, and their version it is now based on. */
  onResolve(text: string, theirText: string): void;
}

/**
 * The resource changed since the draft was opened (a dry run or an apply answered 409): their
 * version beside a three-way merge of theirs and mine (what only one side changed is taken; where
 * both changed the same lines, mine is kept and counted), mine editable, with a control on each
 * differing block that takes theirs. What is reviewed next is the merged text, on top of their
 * version (so it is not refused again).
 */
export function ConflictView({ theirs, theirRevision, mine, base, onResolve }: ConflictViewProps) {
  const theirText = editableYaml(theirs);
  const [merge] = useState(() => threeWayMerge(mine, base, theirText));
  const initial = withResourceVersion(merge.text, theirs.metadata.resourceVersion);
  const [merged, setMerged] = useState(initial);
  const who = theirRevision ? `${theirRevision.author.name}, ${formatDateTime(theirRevision.createdAt)}${theirRevision.message ? ` — “${theirRevision.message}”` : ''}` : null;
  return (
    <Section id="conflict" title="Someone changed this resource while you were editing">
      <Alert tone="warning">
        <p>
          Your change was not applied: the stored version is now revision {theirs.metadata.generation}
          {who ? ` (${who})` : ''}.{' '}
          {merge.conflicts === 0
            ? 'Your changes and theirs touch different lines: the right side holds both. Check it and review the result.'
            : `Both of you changed the same lines in ${merge.conflicts === 1 ? 'one place' : `${merge.conflicts} places`}: yours are kept there. Take theirs with the arrow between the two sides where theirs should win, then review the result.`}
        </p>
      </Alert>
      <SideBySideDiff before={theirText} after={initial} beforeLabel={`Theirs: revision ${theirs.metadata.generation}`} afterLabel="Yours (editable)" onAfterChange={setMerged} />
      <FormActions>
        <Button variant="primary" onClick={() => onResolve(merged, theirText)}>
          Review my merged version
        </Button>
        <Button onClick={() => onResolve(theirText, theirText)}>Discard my changes, start from theirs</Button>
      </FormActions>
    </Section>
  );
}
