import { describe, expect, it } from 'vitest';
import { EnvError, parseServerEnv } from './env';

describe('parseServerEnv', () => {
  it('defaults to the local control plane', () => {
    expect(parseServerEnv({}).apiUrl.href).toBe('http://127.0.0.1:7070/');
  });

  it('reads WEFT_API_URL', () => {
    expect(parseServerEnv({ WEFT_API_URL: 'http://127.0.0.1:17070' }).apiUrl.port).toBe('17070');
  });

  it('names the variable when the value is not an http(s) URL', () => {
    expect(() => parseServerEnv({ WEFT_API_URL: 'ftp://x' })).toThrow(EnvError);
    expect(() => parseServerEnv({ WEFT_API_URL: '127.0.0.1:7070' })).toThrow(/WEFT_API_URL must be an http\(s\) URL/);
  });
});
