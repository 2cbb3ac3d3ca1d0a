import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { elementOf, targetOf, violation } from './layers.js';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it lived at `file` with the repository's real eslint.config.js. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'weft/layers').map((m) => m.message);
}

describe('weft/layers through the real lint config', () => {
  const forbidden: Array<[string, string]> = [
    ['apps/proxy/src/main.ts', "import { x } from '@weft/db';"],
    ['apps/proxy/src/main.ts', "import { x } from '../../control-plane/src/api/router.ts';"],
    ['apps/web/src/app/page.tsx', "import { appRouter } from '@weft/control-plane/router';"],
    ['apps/web/src/app/page.tsx', "import { type AppRouter } from '@weft/control-plane/router';"],
    ['apps/web/src/app/page.tsx', "import type { HealthService } from '../../../control-plane/src/services/health-service.ts';"],
    ['apps/web/src/app/page.tsx', "import { PrismaClient } from '@prisma/client';"],
    ['packages/contracts/src/index.ts', "import { x } from '@weft/db';"],
    ['packages/contracts/src/index.ts', "import { x } from '../../db/src/index.ts';"],
    ['apps/control-plane/src/api/routers/health.ts', "import { x } from '../../repos/database-probe.ts';"],
    ['apps/control-plane/src/api/routers/health.ts', "import { x } from '@weft/db';"],
    ['apps/control-plane/src/services/health-service.ts', "import { PrismaClient } from '@prisma/client';"],
    ['apps/control-plane/src/compiler/compile.ts', "import { x } from '../services/x.ts';"],
    ['apps/control-plane/src/runtime/main.ts', "import { PrismaClient } from '@prisma/client';"],
    ['apps/control-plane/src/services/x.ts', "export * from '@kubernetes/client-node';"],
    ['apps/control-plane/src/services/x.ts', "const m = await import('@weft/db');"],
  ];
  it.each(forbidden)('%s: %s is an error', async (file, code) => {
    expect(await layerErrors(file, code)).toHaveLength(1);
  });

  const allowed: Array<[string, string]> = [
    ['apps/web/src/app/page.tsx', "import type { AppRouter } from '@weft/control-plane/router';"],
    ['apps/web/src/app/page.tsx', "import { HealthStatusSchema } from '@weft/contracts';"],
    ['apps/proxy/src/main.ts', "import { z } from '@weft/contracts';"],
    ['apps/control-plane/src/repos/probe.ts', "import { createPrismaClient } from '@weft/db';"],
    ['apps/control-plane/src/repos/probe.ts', "import type { DatabaseProbe } from '../services/health-service.ts';"],
    ['apps/control-plane/src/api/routers/health.ts', "import type { HealthService } from '../../services/health-service.ts';"],
    ['apps/control-plane/src/runtime/main.ts', "import { startEmbeddedPostgres } from '@weft/db';"],
    ['apps/control-plane/src/api/x.int.test.ts', "import { createTestDatabase } from '@weft/db/testing';"],
    ['packages/db/src/client.ts', "import { PrismaClient } from './generated/prisma/client.ts';"],
    ['packages/db/src/client.ts', "import { PrismaPg } from '@prisma/adapter-pg';"],
    ['e2e/support/x.ts', "import { createTestDatabase } from '@weft/db';"],
  ];
  it.each(allowed)('%s: %s is allowed', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });

  it('explains the rule in the message', async () => {
    const [message] = await layerErrors('apps/proxy/src/main.ts', "import { x } from '@weft/db';");
    expect(message).toContain('proxy must not import db (allowed: contracts');
  });
});

describe('classification', () => {
  it('maps files to elements', () => {
    expect(elementOf('apps/control-plane/src/api/router.ts')).toBe('cp:router');
    expect(elementOf('apps/control-plane/src/repos/x.ts')).toBe('cp:repos');
    expect(elementOf('packages/db/src/generated/prisma/client.ts')).toBe('prisma');
    expect(elementOf('e2e/specs/x.ts')).toBeUndefined();
  });

  it('resolves workspace packages and relative paths', () => {
    const from = path.join(root, 'apps/proxy/src/main.ts');
    expect(targetOf('@weft/contracts', from, root)).toBe('contracts');
    expect(targetOf('@weft/control-plane/router', from, root)).toBe('cp:router');
    expect(targetOf('../../../packages/db/src/index.ts', from, root)).toBe('db');
    expect(targetOf('undici', from, root)).toBe('external');
    expect(targetOf('@prisma/adapter-pg', from, root)).toBe('prisma');
  });

  it('denies files outside the layout', () => {
    expect(violation('cp:unknown', 'contracts', 'value', false)).toMatch(/not part of the layout/);
  });
});
