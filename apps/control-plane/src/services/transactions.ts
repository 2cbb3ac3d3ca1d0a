/**
 * Transactions as services see them: an opaque handle passed to repository calls that must
 * commit or roll back together (a change and its audit entry). Services never see Prisma; the
 * repos layer implements the runner (repos/transactions.ts).
 */
declare const txBrand: unique symbol;

/** Proof of being inside a transaction; only repos can look inside. */
export type Tx = { readonly [txBrand]: true };

export interface TransactionRunner {
  /** Runs `fn` in one database transaction; a throw rolls everything back. */
  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}
