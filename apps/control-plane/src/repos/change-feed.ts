/** The change feed over LISTEN/NOTIFY: resource writes, inventory and CA changes from any replica. */
import { createNotificationListener, type Logger, type NotificationListener } from '@weft/db';
import type { ChangeFeed } from '../services/fleet/ports.ts';
import { CA_CHANNEL } from './ca-repo.ts';
import { INVENTORY_CHANNEL } from './proxies-repo.ts';
import { RESOURCES_CHANNEL } from './resources-repo.ts';

export function createChangeFeed(databaseUrl: string, logger: Logger): ChangeFeed {
  let listener: NotificationListener | undefined;
  return {
    async start(handlers) {
      listener = createNotificationListener({
        databaseUrl,
        channels: [RESOURCES_CHANNEL, INVENTORY_CHANNEL, CA_CHANNEL],
        onNotification: (channel, payload) => {
          if (channel === RESOURCES_CHANNEL) handlers.resource(payload);
          else if (channel === CA_CHANNEL) handlers.ca?.();
          else handlers.inventory(payload);
        },
        onResync: () => {
          handlers.resync();
          handlers.ca?.();
        },
        logger,
      });
      await listener.ready;
    },
    async stop() {
      await listener?.close();
    },
  };
}
