import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formKindOf, PolicyForm, type FormKind, type PolicyFormProps } from './policy-form';

const ROUTE = `apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: recommendations-split
  namespace: shop
spec:
  parentRefs:
    - kind: Service
      name: recommendations
  rules:
    - backendRefs:
        - name: recommendations
          subset: v1
          weight: 95
        - name: recommendations
          subset: v2
          weight: 5
`;

const TRAFFIC = `apiVersion: weft.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: payments, namespace: shop}
spec:
  targetRef: {kind: Service, name: payments}
  retries: {attempts: 2, retryOn: [retriable-status-codes], retriableStatusCodes: [503]}
`;

const AUTHZ = `apiVersion: weft.dev/v1alpha1
kind: AuthorizationPolicy
metadata: {name: p, namespace: shop}
spec:
  action: ALLOW
  rules:
    - from:
        - namespaces: [shop]
    - {}
`;

function render(props: Partial<PolicyFormProps> & { text: string; kind?: FormKind }): string {
  return renderToStaticMarkup(<PolicyForm onTextChange={() => {}} readOnly={false} {...props} />);
}

/** Every input, select and textarea: inside a label, named by aria-label, or the target of a label's `for`. */
function unlabelledControls(html: string): string[] {
  const labelledIds = new Set([...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]));
  const out: string[] = [];
  let labelDepth = 0;
  for (const [tag, closing, name] of html.matchAll(/<(\/?)(label|input|select|textarea)\b[^>]*>/g)) {
    if (name === 'label') {
      labelDepth += closing ? -1 : 1;
      continue;
    }
    if (closing || labelDepth > 0 || /\saria-label="[^"]+"/.test(tag)) continue;
    const id = /\sid="([^"]+)"/.exec(tag)?.[1];
    if (id === undefined || !labelledIds.has(id)) out.push(tag);
  }
  return out;
}

const shellOf = (html: string) => /<fieldset class="[^"]*"( disabled="")? aria-label="[^"]+ form"/.exec(html);

describe('PolicyForm', () => {
  it('picks the form by kind', () => {
    expect(formKindOf(ROUTE)).toBe('HTTPRoute');
    expect(formKindOf(TRAFFIC)).toBe('TrafficPolicy');
    expect(formKindOf(AUTHZ)).toBe('AuthorizationPolicy');
    expect(formKindOf('kind: Service\n')).toBeUndefined();
    expect(render({ text: TRAFFIC })).toContain('Retry failed requests');
    expect(render({ text: 'apiVersion: weft.dev/v1alpha1\nkind: Service\n' })).toContain('edit this one in the YAML');
  });

  it('labels every control, in each form', () => {
    // The check itself finds an unlabelled control.
    expect(unlabelledControls('<label for="a">A</label><input id="a"/><input id="b"/><label><input type="checkbox"/></label>')).toEqual(['<input id="b"/>']);
    for (const text of [ROUTE, TRAFFIC, AUTHZ]) expect(unlabelledControls(render({ text, versions: ['v1', 'v2', 'v3'] }))).toEqual([]);
  });

  it('shows a slider, a number field and the percentage for each version, and offers the missing versions', () => {
    const html = render({ text: ROUTE, versions: ['v1', 'v2', 'v3'] });
    expect([...html.matchAll(/<input[^>]*type="range"[^>]*value="(\d+)"/g)].map((m) => m[1])).toEqual(['95', '5']);
    expect([...html.matchAll(/<input[^>]*type="number"[^>]*aria-label="([^"]+)"[^>]*value="(\d+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['v1, percent of requests', '95'],
      ['v2, percent of requests', '5'],
    ]);
    expect(html).toMatch(/<option value="v3"[^>]*>v3<\/option>/);
  });

  it('is enabled for editing, and disabled with its reason when read-only', () => {
    expect(shellOf(render({ text: ROUTE }))?.[1]).toBeUndefined();
    const html = render({ text: ROUTE, readOnly: true, readOnlyReason: 'Only the payments team edits this route.' });
    expect(shellOf(html)?.[1]).toBe(' disabled=""');
    expect(html).toContain('Only the payments team edits this route.');
  });

  it('asks for the YAML to be fixed, read-only, when the text does not parse', () => {
    const html = render({ text: `${AUTHZ}  bad: [\n`, kind: 'AuthorizationPolicy' });
    expect(html).toContain('Fix the YAML to use the form.');
    expect(shellOf(html)?.[1]).toBe(' disabled=""');
    expect(render({ text: 'a: [\n' })).toContain('Fix the YAML to use the form.');
  });

  it('suggests identities and namespaces, and warns about a rule that matches everything', () => {
    const html = render({ text: AUTHZ, identities: ['spiffe://weft.local/ns/shop/sa/checkout'], namespaces: ['shop', 'web'] });
    expect(html).toContain('<option value="spiffe://weft.local/ns/shop/sa/checkout">');
    // `shop` is already in rule 1's list: only `web` is offered there.
    expect(html).toContain('<option value="web">');
    expect(html).toContain('This rule has no conditions: it matches every request. With ALLOW, it lets every request through.');
  });

  it('shows the status codes only with retriable-status-codes', () => {
    expect(render({ text: TRAFFIC })).toContain('Retriable status codes');
    expect(render({ text: TRAFFIC.replace('retryOn: [retriable-status-codes], retriableStatusCodes: [503]', 'retryOn: [reset]') })).not.toContain('Retriable status codes');
  });
});
