import type { TeamRole } from '@weft/contracts';
import { Badge } from '../ui/feedback';
import { ROLE_LABELS, ROLE_SUMMARIES } from './roles';

const TONES = { viewer: 'neutral', editor: 'ok', owner: 'accent' } as const;

/** A team role as a badge; its tooltip says what the role allows. */
export function RoleBadge({ role }: { role: TeamRole }) {
  return (
    <Badge tone={TONES[role]} title={`${ROLE_LABELS[role]}: ${ROLE_SUMMARIES[role]}`}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
