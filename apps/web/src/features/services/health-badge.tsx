import { Badge, type BadgeTone } from '../ui/feedback';
import { HEALTH_TITLES, type Health } from './services-state';

export const HEALTH_TONES: Record<Health, BadgeTone> = { failing: 'bad', 'no-endpoints': 'neutral', degraded: 'warn', idle: 'neutral', healthy: 'ok' };

/** A service's health (docs/services.md "Health"), what it means in the tooltip. */
export function HealthBadge({ health }: { health: Health }) {
  return (
    <Badge tone={HEALTH_TONES[health]} dot title={HEALTH_TITLES[health]}>
      {health}
    </Badge>
  );
}
