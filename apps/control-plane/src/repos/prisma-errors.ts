import { Prisma } from '@weft/db';
import { ConflictError, NotFoundError } from '../services/errors.ts';

/** Turns Prisma's known request errors into domain errors; rethrows anything else unchanged. */
export function rethrowAsDomain(err: unknown, what: string): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === 'P2002') throw new ConflictError(`${what} already exists`);
    if (err.code === 'P2025') throw new NotFoundError(`${what} not found`);
    if (err.code === 'P2003') throw new ConflictError(`${what} is still referenced by other records`);
  }
  throw err;
}
