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

export interface ConflictViewProps {
  /** What is stored now (someone else's change). */
  theirs: StoredResource;
  /** Their revision, for who/when/why. */
  theirRevision: Revision | null;
  /** The draft that was refused. */
  mine: string;
  onResolve(text: string): void;
}

/**
 * A refused apply because the resource changed since the draft was opened (409): their version
 * beside mine, mine editable, with a control on each differing block that takes theirs. What is
 * reviewed next is the merged text, on top of their version (so it is not refused again).
 */
export function ConflictView({ theirs, theirRevision, mine, onResolve }: ConflictViewProps) {
  const theirText = editableYaml(theirs);
  const [initial] = useState(() => withResourceVersion(mine, theirs.metadata.resourceVersion));
  const [merged, setMerged] = useState(initial);
  const who = theirRevision ? `${theirRevision.author.name}, ${formatDateTime(theirRevision.createdAt)}${theirRevision.message ? ` — “${theirRevision.message}”` : ''}` : null;
  return (
    <Section id="conflict" title="Someone changed this resource while you were editing">
      <Alert tone="warning">
        <p>
          Your change was not applied: the stored version is now revision {theirs.metadata.generation}
          {who ? ` (${who})` : ''}. Compare it with yours below, take what you want of theirs with the arrows between the two sides, and review the result.
        </p>
      </Alert>
      <SideBySideDiff before={theirText} after={initial} beforeLabel={`Theirs: revision ${theirs.metadata.generation}`} afterLabel="Yours (editable)" onAfterChange={setMerged} />
      <FormActions>
        <Button variant="primary" onClick={() => onResolve(merged)}>
          Review my merged version
        </Button>
        <Button onClick={() => onResolve(theirText)}>Discard my changes, start from theirs</Button>
      </FormActions>
    </Section>
  );
}
