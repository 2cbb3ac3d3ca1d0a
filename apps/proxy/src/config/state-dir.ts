/**
 * The proxy's state directory: its stable id, the last-known-good snapshot, and its workload
 * identity (private key + the certificate issued for it). Files are written
 * atomically (temporary file, fsync, rename) with mode 0600 in a 0700 directory, so a crash never
 * leaves half a snapshot, and a restart with the control plane away serves the last good one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ProxySnapshotSchema, type ProxySnapshot } from '@weft/contracts/snapshot';

const LKG_FILE = 'last-known-good.json';
const ID_FILE = 'proxy-id';
/** The workload's private key (PKCS#8 PEM) and its issued certificate (the issuance response, JSON). */
export const IDENTITY_FILES = { key: 'workload-key.pem', certificate: 'workload-certificate.json' } as const;

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export interface StateDir {
  /** This proxy's id: read, or created as `<service>-<random>` on the first start. */
  proxyId(service: string): Promise<string>;
  /** The last snapshot this proxy ACKed; null when there is none or it does not validate. */
  loadLastKnownGood(): Promise<{ snapshot: ProxySnapshot } | { snapshot: null; problem?: string }>;
  saveLastKnownGood(snapshot: ProxySnapshot): Promise<void>;
  /**
   * The workload key and certificate, each written atomically with mode 0600. The caller checks
   * on load that they belong together (a crash between the two writes leaves a mismatch).
   */
  saveIdentity(files: { keyPem: string; certificateJson: string }): Promise<void>;
  /** What saveIdentity wrote; null when either file is missing. */
  loadIdentity(): Promise<{ keyPem: string; certificateJson: string } | null>;
}

export async function openStateDir(dir: string): Promise<StateDir> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return {
    async proxyId(service) {
      const file = path.join(dir, ID_FILE);
      try {
        const id = (await readFile(file, 'utf8')).trim();
        if (/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) return id;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const id = `${service}-${randomBytes(5).toString('hex')}`;
      await writeAtomically(file, `${id}\n`);
      return id;
    },
    async loadLastKnownGood() {
      let text: string;
      try {
        text = await readFile(path.join(dir, LKG_FILE), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { snapshot: null };
        return { snapshot: null, problem: `cannot read ${LKG_FILE}: ${(err as Error).message}` };
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { snapshot: null, problem: `${LKG_FILE} is not JSON; ignoring it` };
      }
      const parsed = ProxySnapshotSchema.safeParse(value);
      if (!parsed.success) return { snapshot: null, problem: `${LKG_FILE} does not validate (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); ignoring it` };
      return { snapshot: parsed.data };
    },
    async saveLastKnownGood(snapshot) {
      await writeAtomically(path.join(dir, LKG_FILE), JSON.stringify(snapshot));
    },
    async saveIdentity({ keyPem, certificateJson }) {
      await writeAtomically(path.join(dir, IDENTITY_FILES.key), keyPem);
      await writeAtomically(path.join(dir, IDENTITY_FILES.certificate), certificateJson);
    },
    async loadIdentity() {
      try {
        const [keyPem, certificateJson] = await Promise.all([readFile(path.join(dir, IDENTITY_FILES.key), 'utf8'), readFile(path.join(dir, IDENTITY_FILES.certificate), 'utf8')]);
        return { keyPem, certificateJson };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}
