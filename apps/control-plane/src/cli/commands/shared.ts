import type { ResourceKind } from '@weft/contracts/resources';
import type { Context } from '../context.ts';
import { NotLoggedInError, usageError } from '../errors.ts';
import { addressOf, type ResourceAddress } from '../resources.ts';

/**
 * The namespace when no -n is given: WEFT_NAMESPACE, else the config file's (`weft login -n`).
 * Without any login, WEFT_NAMESPACE or nothing (so `apply` can still validate files offline);
 * a config file that cannot be used (unsafe, broken) is an error here already.
 */
export async function defaultNamespace(ctx: Context): Promise<string | undefined> {
  try {
    return (await ctx.connect()).connection.namespace;
  } catch (err) {
    if (err instanceof NotLoggedInError) return ctx.io.env.WEFT_NAMESPACE || undefined;
    throw err;
  }
}

/**
 * The address of `KIND NAME` with -n or the default namespace. Connects first: a missing login
 * is reported as such (exit 3), not as a missing -n.
 */
export async function addressArg(ctx: Context, kind: ResourceKind, name: string, namespace: string | undefined): Promise<ResourceAddress> {
  const { connection } = await ctx.connect();
  return addressOf(kind, name, namespace ?? connection.namespace);
}

/** A positive revision number from the command line. */
export function revisionArg(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 2_147_483_647) throw usageError(`${flag} ${value}: a revision is a whole number from 1 (see \`weft history\`)`);
  return Number(value);
}
