'use client';

import { useMemo, useState } from 'react';
import { propose } from './propose';
import { readDocument, type YamlEdit } from './yaml-edits';

/** What every policy form takes: the YAML text (the source of truth) and where to send changes. */
export interface PolicyFormProps {
  text: string;
  onTextChange(next: string): void;
  readOnly: boolean;
  /** Why the form is read-only, shown beside it; has a default. */
  readOnlyReason?: string;
  /** The versions of the route's service (Service `spec.versions[].name`), for the split editor. */
  versions?: string[];
  /** SPIFFE IDs to suggest as callers (`spiffe://…/ns/<ns>/sa/<service>`). */
  identities?: string[];
  /** Namespaces to suggest as callers. */
  namespaces?: string[];
}

export interface PolicyText {
  /** The document the form shows: the text's, or while the text is broken, the last one that read. */
  document: unknown;
  /** Why the text cannot be used right now; the form is then read-only. */
  broken: { message: string; line: number | undefined } | null;
  /**
   * Applies `edits` to the text and reports the result through onTextChange, unless they would
   * add a schema issue: then nothing changes and the problem is returned.
   */
  apply(edits: readonly YamlEdit[]): string | undefined;
  /** Like apply, but a problem is kept in `problem`, for controls without a field of their own. */
  applyOrReport(edits: readonly YamlEdit[]): void;
  problem: string | null;
}

/**
 * The form's view of the text. While the text is broken (the user is halfway through typing in
 * the YAML editor) the form keeps showing the last document that read, disabled, rather than
 * blanking out; it never writes into broken text.
 */
export function usePolicyText(text: string, onTextChange: (next: string) => void): PolicyText {
  const read = useMemo(() => readDocument(text), [text]);
  const [lastGoodText, setLastGoodText] = useState(text);
  // A problem belongs to the text it was found in: once the text changes, it no longer applies.
  const [problem, setProblem] = useState<{ message: string; text: string } | null>(null);
  // Adjusting state while rendering (React's documented pattern): it settles after one pass.
  if (read.ok && lastGoodText !== text) setLastGoodText(text);
  const lastGood = useMemo(() => readDocument(lastGoodText), [lastGoodText]);

  const apply = (edits: readonly YamlEdit[]): string | undefined => {
    if (edits.length === 0) return undefined;
    const proposal = propose(text, edits);
    if (!proposal.ok) return proposal.problem;
    setProblem(null);
    if (proposal.text !== text) onTextChange(proposal.text);
    return undefined;
  };

  return {
    document: read.ok ? read.document : lastGood.ok ? lastGood.document : undefined,
    broken: read.ok ? null : { message: read.message, line: read.line },
    apply,
    applyOrReport: (edits) => {
      const refused = apply(edits);
      setProblem(refused === undefined ? null : { message: refused, text });
    },
    problem: problem !== null && problem.text === text ? problem.message : null,
  };
}
