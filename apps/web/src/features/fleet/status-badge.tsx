import type { ProxyStatusValue } from '@weft/contracts/snapshot';
import { Badge, type BadgeTone } from '../ui/feedback';

export const STATUS_TONES: Record<ProxyStatusValue, BadgeTone> = { SYNCED: 'ok', PENDING: 'accent', STALE: 'warn', NACKED: 'bad', DISCONNECTED: 'neutral' };

export const STATUS_TITLES: Record<ProxyStatusValue, string> = {
  SYNCED: 'It acknowledged the version it should have',
  PENDING: 'A new version was sent; its ACK deadline has not passed',
  STALE: 'A newer version was not acknowledged within the deadline',
  NACKED: 'It rejected the version it should have, and runs its previous one',
  DISCONNECTED: 'No control-plane replica holds a stream from it',
};

/** A proxy's delivery status (docs/fleet.md), its meaning in the tooltip. */
export function ProxyStatusBadge({ status }: { status: ProxyStatusValue }) {
  return (
    <Badge tone={STATUS_TONES[status]} dot title={STATUS_TITLES[status]}>
      {status}
    </Badge>
  );
}
