'use client';

import type { Namespace } from '@weft/contracts';
import { canEditNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';

/**
 * Null when the signed-in user may change policies in the namespace; otherwise the reason, for
 * the disabled controls (the control plane decides every write anyway).
 */
export function useCannotApply(namespace: Namespace | null, name: string): string | null {
  const me = useMe();
  if (namespace === null) return `You cannot see namespace ${name}.`;
  if (canEditNamespace(me, namespace)) return null;
  return `Read-only: you are a viewer of ${namespace.teamName}, which owns ${name}. Editors of the team can apply changes.`;
}
