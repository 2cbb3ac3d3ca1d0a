'use client';

import type { ApplyResult } from '@weft/contracts/resources';
import { useEffect, useRef, useState } from 'react';
import { apiProblemOf, type ApiProblem } from '../../../lib/api-error';
import { useTRPCClient } from '../../../lib/trpc';
import { findingsOf, type Finding, type ParsedPolicy } from '../policy-text';
import { putResource, type PolicyTarget } from '../resource-api';

export type { PolicyTarget } from '../resource-api';

export interface DryRun {
  /** The text this answer is about. */
  text: string;
  findings: Finding[];
  /** The dry run's answer when the API accepted the draft (warnings only). */
  outcome: ApplyResult | null;
  /** A failure that names no field of the draft (no access, unreachable…). */
  problem: ApiProblem | null;
}

/** Sends the draft as a dry run (nothing is written): findings, or the outcome with its blast radius. */
export async function dryRun(client: ReturnType<typeof useTRPCClient>, target: PolicyTarget, text: string, parsed: ParsedPolicy): Promise<DryRun> {
  if (!parsed.ok) return { text, findings: [{ severity: 'error', path: '', line: parsed.line, message: parsed.message }], outcome: null, problem: null };
  try {
    const outcome = await putResource(client, target, { document: parsed.document, dryRun: true });
    return { text, findings: findingsOf({ diagnostics: outcome.diagnostics }, parsed.lineOf), outcome, problem: null };
  } catch (error) {
    const problem = apiProblemOf(error);
    const findings = findingsOf({ issues: problem.issues }, parsed.lineOf);
    if (problem.code === 'BAD_REQUEST' && findings.length === 0) findings.push({ severity: 'error', path: '', line: undefined, message: problem.message });
    return { text, findings, outcome: null, problem: findings.length > 0 ? null : problem };
  }
}

/**
 * Validation as you type: the draft goes to the API's dry run `delayMs` after the last keystroke;
 * an answer about older text than the newest sent is dropped. `null` until the first answer.
 */
export function useDryRunAsYouType(target: PolicyTarget | null, text: string, parsed: ParsedPolicy, delayMs = 500): { result: DryRun | null; checking: boolean } {
  const client = useTRPCClient();
  const [result, setResult] = useState<DryRun | null>(null);
  const [checking, setChecking] = useState(false);
  const latest = useRef(0);
  const key = target ? `${target.namespace}/${target.plural}/${target.name}` : null;

  useEffect(() => {
    if (target === null) return;
    const sequence = ++latest.current;
    const timer = setTimeout(() => {
      setChecking(true);
      void dryRun(client, target, text, parsed).then((answer) => {
        if (sequence !== latest.current) return;
        setResult(answer);
        setChecking(false);
      });
    }, delayMs);
    return () => clearTimeout(timer);
    // `parsed` and `target` follow from `text` and `key`.
  }, [client, key, text, delayMs]);

  return { result, checking };
}
