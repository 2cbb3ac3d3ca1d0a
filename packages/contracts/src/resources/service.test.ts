import { describe, expect, it } from 'vitest';
import { ServiceSchema, ServiceSpecSchema } from './service.ts';
import { doc, example, issueLines } from './testing.ts';

/** The mesh story: checkout calls payments, inventory and notifications. */
const story = [
  doc('Service', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, 'checkout'),
  doc('Service', { ports: [{ name: 'http', port: 80, protocol: 'http' }], versions: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }, 'payments'),
  doc('Service', { ports: [{ name: 'grpc', port: 9090, protocol: 'grpc' }] }, 'inventory'),
  doc('Service', { ports: [{ name: 'http', port: 80, protocol: 'http2' }, { name: 'smtp', port: 25, protocol: 'tcp' }] }, 'notifications'),
];

describe('Service', () => {
  it('accepts the example and the services of the mesh story', () => {
    expect(issueLines(example('service'))).toEqual([]);
    for (const service of story) expect(issueLines(service)).toEqual([]);
    expect(ServiceSchema.parse(story[1]).spec.versions?.map((v) => v.name)).toEqual(['v1', 'v2']);
  });

  it('keeps the document as written (no defaults filled in)', () => {
    const parsed = ServiceSpecSchema.parse({ ports: [{ name: 'http', port: 80 }] });
    expect(parsed).toEqual({ ports: [{ name: 'http', port: 80 }] });
  });

  it('names typos in field names', () => {
    const service = example('service');
    service.spec.ports[0].protcol = 'http';
    service.spec.version = [];
    expect(issueLines(service)).toEqual(["spec.ports.0.protcol: unknown field; did you mean 'protocol'?", "spec.version: unknown field; did you mean 'versions'?"]);
  });

  it('checks ports: range, type, protocol, uniqueness', () => {
    const service = doc('Service', {
      ports: [
        { name: 'http', port: 70000, protocol: 'HTTP' },
        { name: 'http', port: '81' },
        { name: 'b', port: 81, targetPort: 0 },
        { name: 'c', port: 81 },
      ],
    });
    expect(issueLines(service)).toEqual([
      'spec.ports.0.port: must be at most 65535',
      'spec.ports.0.protocol: must be one of: http, http2, grpc, tcp; did you mean http?',
      "spec.ports.1.port: must be a number, got '81' (write the number without quotes)",
      'spec.ports.2.targetPort: must be at least 1',
    ]);
    expect(issueLines(doc('Service', { ports: [{ name: 'a', port: 81 }, { name: 'a', port: 81 }] }))).toEqual([
      'spec.ports.1.name: duplicate port name: same as item 0',
      'spec.ports.1.port: duplicate port number: same as item 0',
    ]);
    expect(issueLines(doc('Service', { ports: [] }))).toEqual(['spec.ports: must have at least 1 item']);
  });

  it('checks versions: names, non-empty and distinct selectors', () => {
    const service = doc('Service', {
      ports: [{ name: 'http', port: 80 }],
      versions: [
        { name: 'V1', labels: { version: 'v1' } },
        { name: 'v2', labels: {} },
        { name: 'v3', labels: { version: 'v1' } },
      ],
    });
    expect(issueLines(service)).toEqual([
      'spec.versions.0.name: must be lower-case letters, digits and -, starting and ending with a letter or digit',
      'spec.versions.1.labels: must have at least one label',
      'spec.versions.2.labels: duplicate version selector: same as item 0',
    ]);
    const sameSelector = doc('Service', { ports: [{ name: 'http', port: 80 }], versions: [{ name: 'a', labels: { x: '1', y: '2' } }, { name: 'b', labels: { y: '2', x: '1' } }] });
    expect(issueLines(sameSelector)).toEqual(['spec.versions.1.labels: duplicate version selector: same as item 0']);
  });

  it('requires a DNS-label name (it becomes a hostname)', () => {
    expect(issueLines(doc('Service', { ports: [{ name: 'http', port: 80 }] }, 'pay.ments'))).toEqual([
      'metadata.name: must be lower-case letters, digits and -, starting and ending with a letter or digit',
    ]);
    expect(issueLines(doc('Service', { ports: [{ name: 'http', port: 80 }] }, 'a'.repeat(64)))).toEqual(['metadata.name: must be at most 63 characters']);
  });

  it('caps list sizes', () => {
    const ports = Array.from({ length: 33 }, (_, i) => ({ name: `p${i}`, port: 1000 + i }));
    expect(issueLines(doc('Service', { ports }))).toEqual(['spec.ports: must have at most 32 items']);
  });
});
