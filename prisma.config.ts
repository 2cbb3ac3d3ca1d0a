/**
 * Prisma 7 CLI configuration. Prisma 7 takes connection URLs from here, not from schema.prisma.
 *
 * In this repository the CLI is only used for `prisma generate` (npm run db:generate), which needs
 * no database: DATABASE_URL may be unset. Migrations run offline through @weft/db's WebAssembly
 * schema engine (npm run db:migrate, npm run db:migration); where the native engine can be
 * downloaded, `prisma migrate status/deploy` work on the same migrations and `_prisma_migrations`
 * table. See docs/decisions/001-offline-prisma-migrations.md.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
