import type { Prisma, PrismaClient } from '@weft/db';
import type { TransactionRunner, Tx } from '../services/transactions.ts';

/** A Prisma client or an open transaction: what repository functions run their queries on. */
export type Db = PrismaClient | Prisma.TransactionClient;

export function createTransactionRunner(prisma: PrismaClient): TransactionRunner {
  return {
    run: (fn) => prisma.$transaction((tx) => fn(tx as unknown as Tx), { timeout: 15_000, maxWait: 10_000 }),
  };
}

/** The transaction behind a handle, or the client itself when there is none. */
export function dbOf(prisma: PrismaClient, tx: Tx | undefined): Db {
  return tx ? (tx as unknown as Prisma.TransactionClient) : prisma;
}
