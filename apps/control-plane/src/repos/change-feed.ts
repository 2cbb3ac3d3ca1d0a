/** The change feed over LISTEN/NOTIFY: resource writes and inventory changes from any replica. */
import { createNotificationListener, type Logger, type NotificationListener } from '@weft/db';
import type { ChangeFeed } from '../services/fleet/ports.ts';
import { INVENTORY_CHANNEL } from './proxies-repo.ts';
import { RESOURCES_CHANNEL } from './resources-repo.ts';

export function createChangeFeed(databaseUrl: string, logger: Logger): ChangeFeed {
  let listener: NotificationListener | undefined;
  return {
    async start(handlers) {
      listener = createNotificationListener({
        databaseUrl,
        channels: [RESOURCES_CHANNEL, INVENTORY_CHANNEL],
        onNotification: (channel, payload) => (channel === RESOURCES_CHANNEL ? handlers.resource(payload) : handlers.inventory(payload)),
        onResync: () => handlers.resync(),
        logger,
      });
      await listener.ready;
    },
    async stop() {
      await listener?.close();
    },
  };
}
