import { describe, expect, it } from 'vitest';
import { createListenerStats } from './stats.ts';
import { listenerStatsText } from './stats-metrics.ts';

describe('listenerStatsText', () => {
  const outbound = createListenerStats();
  outbound.requests = 10;
  outbound.inFlight = 2;
  outbound.shed = 1;
  outbound.clientErrors = 6;
  outbound.timeouts = 2;
  outbound.headersTooLarge = 1;
  outbound.connectRefused = 4;
  outbound.tunnels.opened = 3;
  outbound.tunnels.bytesToClient = 1234;
  outbound.mirrors.failed = 5;
  const inbound = createListenerStats();
  inbound.clientAborts = 7;
  const text = listenerStatsText([
    ['outbound', outbound],
    ['inbound', inbound],
    ['upstream:greeter.shop:50051', createListenerStats()],
  ]);
  const sample = (line: string) => text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1];

  it('reports each listener under its label', () => {
    expect(sample('weft_proxy_listener_requests_total{listener="outbound"}')).toBe('10');
    expect(sample('weft_proxy_listener_in_flight{listener="outbound"}')).toBe('2');
    expect(sample('weft_proxy_listener_client_aborts_total{listener="inbound"}')).toBe('7');
    expect(sample('weft_proxy_listener_requests_total{listener="upstream:greeter.shop:50051"}')).toBe('0');
  });

  it('splits refusals by reason, parse errors apart from timeouts and header overflows', () => {
    expect(sample('weft_proxy_listener_refused_total{listener="outbound",reason="malformed"}')).toBe('3');
    expect(sample('weft_proxy_listener_refused_total{listener="outbound",reason="timeout"}')).toBe('2');
    expect(sample('weft_proxy_listener_refused_total{listener="outbound",reason="headers_too_large"}')).toBe('1');
    expect(sample('weft_proxy_listener_refused_total{listener="outbound",reason="shed"}')).toBe('1');
    expect(sample('weft_proxy_listener_refused_total{listener="outbound",reason="connect"}')).toBe('4');
    expect(sample('weft_proxy_tunnels_total{listener="outbound",result="opened"}')).toBe('3');
    expect(sample('weft_proxy_tunnel_bytes_total{listener="outbound",direction="to_client"}')).toBe('1234');
    expect(sample('weft_proxy_listener_mirrors_total{listener="outbound",result="failed"}')).toBe('5');
  });

  it('is valid text exposition: HELP and TYPE once per family, before its samples, no duplicate series', () => {
    expect(text.endsWith('\n')).toBe(true);
    const typed = new Set<string>();
    const seen = new Set<string>();
    for (const line of text.slice(0, -1).split('\n')) {
      const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (type) {
        expect(typed.has(type[1]!)).toBe(false);
        typed.add(type[1]!);
        continue;
      }
      if (line.startsWith('# HELP ')) continue;
      const m = /^([a-z_]+)\{((?:[a-z_]+="[^"\\\n]*",?)+)\} (\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(typed.has(m![1]!), `${m![1]} sampled before its TYPE`).toBe(true);
      expect(seen.has(`${m![1]}{${m![2]}}`)).toBe(false);
      seen.add(`${m![1]}{${m![2]}}`);
    }
    expect(typed.size).toBe(10);
  });
});
