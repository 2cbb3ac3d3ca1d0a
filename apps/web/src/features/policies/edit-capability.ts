'use client';

import type { Namespace } from '@weft/contracts';
import { canEditNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import type { EditableKind } from './policy-kinds';

/**
 * Null when the signed-in user may change the resource; otherwise the reason, for the disabled
 * controls (the control plane decides every write anyway). Namespaced kinds: editors of the team
 * that owns the namespace (`namespace` is its entry in the user's list, null when not visible);
 * the MeshConfig: organization admins.
 */
export function useCannotApply(kind: EditableKind, namespace: Namespace | null, name: string | null): string | null {
  const me = useMe();
  if (kind === 'MeshConfig') return me.isAdmin ? null : 'Read-only: the mesh settings are changed by organization admins.';
  if (namespace === null) return `You cannot see namespace ${name ?? ''}.`;
  if (canEditNamespace(me, namespace)) return null;
  return `Read-only: you are a viewer of ${namespace.teamName}, which owns ${namespace.name}. Editors of the team can apply changes.`;
}
