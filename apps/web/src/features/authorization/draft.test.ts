import { validateResource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import { draftIssues, exampleDraft, issueText, parseDraft, withMode } from './draft';

describe('exampleDraft', () => {
  it('is a valid AuthorizationPolicy of the namespace: DENY /admin, in audit mode', () => {
    const parsed = parseDraft(exampleDraft('shop'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const validated = validateResource(parsed.document);
    expect(validated.ok).toBe(true);
    expect(parsed.name).toBe('deny-admin');
    expect(parsed.document).toMatchObject({
      kind: 'AuthorizationPolicy',
      metadata: { namespace: 'shop' },
      spec: { action: 'DENY', mode: 'audit', rules: [{ to: [{ paths: ['/admin', '/admin/*'] }] }] },
    });
  });
});

describe('parseDraft', () => {
  it('reads JSON as well as YAML', () => {
    const parsed = parseDraft('{"kind": "AuthorizationPolicy", "metadata": {"name": "x"}}');
    expect(parsed).toMatchObject({ ok: true, name: 'x', document: { kind: 'AuthorizationPolicy' } });
  });

  it('says where the text is broken', () => {
    const parsed = parseDraft('kind: AuthorizationPolicy\nspec:\n  rules: [\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toMatch(/^Line \d+, column \d+: /);
  });

  it('refuses an empty draft, several documents, and what is not a mapping', () => {
    expect(parseDraft('  \n# nothing\n')).toEqual({ ok: false, message: 'The draft is empty: write one AuthorizationPolicy document.' });
    expect(parseDraft('kind: A\n---\nkind: B\n')).toMatchObject({ ok: false, message: expect.stringContaining('2 documents') });
    expect(parseDraft('- a\n- b\n')).toMatchObject({ ok: false, message: expect.stringContaining('must be a mapping') });
  });

  it('has no name when metadata.name is missing', () => {
    expect(parseDraft('kind: AuthorizationPolicy\nmetadata: {}\n')).toMatchObject({ ok: true, name: null });
  });

  it('finds the line of a field', () => {
    const parsed = parseDraft(exampleDraft('shop'));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.lineOf('spec.rules.0.to.0.paths.0')).toBe(13);
    expect(parsed.lineOf('metadata.name')).toBe(4);
  });
});

describe('withMode', () => {
  it('sets spec.mode and keeps the rest, without changing the draft', () => {
    const draft = { kind: 'AuthorizationPolicy', spec: { action: 'DENY', mode: 'audit', rules: [{}] } };
    expect(withMode(draft, 'enforce')).toEqual({ kind: 'AuthorizationPolicy', spec: { action: 'DENY', mode: 'enforce', rules: [{}] } });
    expect(draft.spec.mode).toBe('audit');
    expect(withMode({ kind: 'AuthorizationPolicy' }, 'audit')).toEqual({ kind: 'AuthorizationPolicy', spec: { mode: 'audit' } });
  });
});

describe('draftIssues', () => {
  const lineOf = (path: string) => (path.startsWith('spec.rules') ? 13 : path === '' ? 1 : undefined);

  it('names fields inside the document, from preview (document.…) and from apply (spec.…)', () => {
    const issues = draftIssues(
      [
        { path: 'document.spec.rules.0.to.0.paths.0', message: "must start with '/'" },
        { path: 'spec.rules.0.to.0.paths.0', message: "must start with '/'" },
        { path: 'document', message: 'must be an object' },
        { path: 'metadata.name', message: 'must not be empty' },
      ],
      lineOf,
    );
    expect(issues).toEqual([
      { path: 'spec.rules.0.to.0.paths.0', line: 13, message: "must start with '/'" },
      { path: 'spec.rules.0.to.0.paths.0', line: 13, message: "must start with '/'" },
      { path: '', line: 1, message: 'must be an object' },
      { path: 'metadata.name', line: undefined, message: 'must not be empty' },
    ]);
  });

  it('leaves out issues about other inputs', () => {
    expect(draftIssues([{ path: 'window', message: 'too long' }, { path: 'namespace', message: 'bad' }], null)).toEqual([]);
  });
});

describe('issueText', () => {
  it('names the field and its line', () => {
    expect(issueText({ path: 'spec.rules.0.to.0.paths.0', line: 13, message: "must start with '/'" })).toBe("spec.rules.0.to.0.paths.0 (line 13): must start with '/'");
    expect(issueText({ path: '', line: undefined, message: 'must be AuthorizationPolicy' })).toBe('The document: must be AuthorizationPolicy');
  });
});
