import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('applies defaults relative to the working directory', () => {
    const env = parseEnv({}, '/srv/weft');
    expect(env).toMatchObject({ home: '/srv/weft/.weft', port: 7070, host: '127.0.0.1', databaseUrl: undefined });
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(parseEnv({ DATABASE_URL: '  ' }, '/').databaseUrl).toBeUndefined();
  });

  it('names every bad variable in one line', () => {
    try {
      parseEnv({ WEFT_CP_PORT: 'eighty', WEFT_EMBEDDED_PG_PORT: '70000' }, '/');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const message = (err as Error).message;
      expect(message).toContain('WEFT_CP_PORT must be a number');
      expect(message).toContain('WEFT_EMBEDDED_PG_PORT must be between 1 and 65535');
      expect(message).not.toContain('\n');
    }
  });

  it('telemetry: rollups kept 7 days and written every 5 s by default; bad values name the variable', () => {
    expect(parseEnv({}, '/')).toMatchObject({ telemetryRetentionMs: 7 * 86_400_000, telemetryFlushMs: 5_000 });
    expect(parseEnv({ WEFT_TELEMETRY_FLUSH: '200ms', WEFT_TELEMETRY_RETENTION: '24h' }, '/')).toMatchObject({ telemetryRetentionMs: 86_400_000, telemetryFlushMs: 200 });
    expect(() => parseEnv({ WEFT_TELEMETRY_FLUSH: '10ms' }, '/')).toThrow(/WEFT_TELEMETRY_FLUSH/);
    expect(parseEnv({}, '/').topologyPushIntervalMs).toBe(5_000);
    expect(parseEnv({ WEFT_TOPOLOGY_PUSH_INTERVAL: '2s' }, '/').topologyPushIntervalMs).toBe(2_000);
    expect(() => parseEnv({ WEFT_TOPOLOGY_PUSH_INTERVAL: '100ms' }, '/')).toThrow(/WEFT_TOPOLOGY_PUSH_INTERVAL/);
    expect(() => parseEnv({ WEFT_TELEMETRY_RETENTION: 'forever' }, '/')).toThrow(/WEFT_TELEMETRY_RETENTION/);
  });

  describe('the CA settings', () => {
    const kek = Buffer.alloc(32, 1).toString('base64');
    const problem = (source: Record<string, string>) => {
      try {
        parseEnv(source, '/');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    };

    it('defaults: a generated KEK, the embedded CA, 24 h certificates', () => {
      expect(parseEnv({}, '/srv')).toMatchObject({ caKek: { kind: 'default' }, operatorCa: undefined, certLifetimeMs: 86_400_000 });
    });

    it('reads WEFT_CA_KEK (base64 of 32 bytes) or WEFT_CA_KEK_FILE, not both, and never echoes the key', () => {
      expect(parseEnv({ WEFT_CA_KEK: kek }, '/').caKek).toEqual({ kind: 'value', key: Buffer.alloc(32, 1) });
      expect(parseEnv({ WEFT_CA_KEK_FILE: 'kek' }, '/srv').caKek).toEqual({ kind: 'file', path: '/srv/kek' });
      expect(problem({ WEFT_CA_KEK: kek, WEFT_CA_KEK_FILE: 'kek' })).toContain('WEFT_CA_KEK_FILE set either');
      const short = Buffer.alloc(16, 2).toString('base64');
      const message = problem({ WEFT_CA_KEK: short });
      expect(message).toContain('WEFT_CA_KEK must be the base64 of 32 bytes');
      expect(message).not.toContain(short);
    });

    it('wants the operator CA certificate and key together', () => {
      expect(parseEnv({ WEFT_CA_CERT_FILE: 'ca.pem', WEFT_CA_KEY_FILE: 'ca.key' }, '/etc/weft').operatorCa).toEqual({ certFile: '/etc/weft/ca.pem', keyFile: '/etc/weft/ca.key', rootFile: undefined });
      expect(problem({ WEFT_CA_CERT_FILE: 'ca.pem' })).toContain('WEFT_CA_KEY_FILE is required with WEFT_CA_CERT_FILE');
      expect(problem({ WEFT_CA_ROOT_FILE: 'root.pem' })).toContain('WEFT_CA_CERT_FILE is required with WEFT_CA_ROOT_FILE');
    });

    it('bounds WEFT_CERT_LIFETIME to 1 minute … 30 days', () => {
      expect(parseEnv({ WEFT_CERT_LIFETIME: '1m' }, '/').certLifetimeMs).toBe(60_000);
      expect(problem({ WEFT_CERT_LIFETIME: '30s' })).toContain('WEFT_CERT_LIFETIME must be at least');
      expect(problem({ WEFT_CERT_LIFETIME: '721h' })).toContain('WEFT_CERT_LIFETIME must be at most');
    });
  });
});
