/**
 * CA generations (CertificateAuthority). Changes run under an advisory lock and notify
 * CA_CHANNEL, on which every replica reloads the generations and recompiles with the new bundle.
 */
import type { PrismaClient } from '@weft/db';
import type { CaRecord, CaRepo, CaState } from '../services/identity/ports.ts';
import { dbOf } from './transactions.ts';

/** NOTIFY channel: a CA generation was created or changed state (no payload). */
export const CA_CHANNEL = 'weft_ca';
/** Advisory lock key of CA changes ('weftCA' in ASCII); distinct from the audit chain's and Prisma's. */
const CA_LOCK = 0x77656674_4341n;

const caSelect = {
  id: true,
  trustDomain: true,
  state: true,
  rootPem: true,
  intermediatePem: true,
  sealedRootKey: true,
  sealedIntermediateKey: true,
  rootFingerprint: true,
  intermediateFingerprint: true,
  rootNotAfter: true,
  external: true,
  createdAt: true,
} as const;

export function createCaRepo(prisma: PrismaClient): CaRepo {
  return {
    async list(tx) {
      return dbOf(prisma, tx).certificateAuthority.findMany({ select: caSelect, orderBy: { createdAt: 'desc' } });
    },
    locked(fn) {
      return prisma.$transaction(
        async (client) => {
          await client.$executeRaw`SELECT pg_advisory_xact_lock(${CA_LOCK})`;
          const result = await fn(client as never);
          // Delivered at commit, to every replica (this one included).
          await client.$executeRaw`SELECT pg_notify(${CA_CHANNEL}, '')`;
          return result;
        },
        // Creating a CA generates two key pairs: more than the default 5 s on a busy machine.
        { timeout: 30_000, maxWait: 30_000 },
      );
    },
    async create(data, tx) {
      return (await dbOf(prisma, tx).certificateAuthority.create({ data, select: caSelect })) as CaRecord;
    },
    async setState(id, state: CaState, tx) {
      await dbOf(prisma, tx).certificateAuthority.update({ where: { id }, data: { state } });
    },
  };
}
