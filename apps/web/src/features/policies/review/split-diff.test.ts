import { describe, expect, it } from 'vitest';
import { splitDiff } from './split-diff';

const UNIFIED = `===================================================================
--- storefront.mall v1 (now)
+++ storefront.mall v1 (with the change)
@@ -101,4 +101,5 @@
       retries:
-        attempts: 2
+        attempts: 3
+        perTryTimeout: 1s
       retryOn:
@@ -200,2 +201,1 @@
-      old: true
       kept: yes
`;

describe('splitDiff', () => {
  it('aligns removed runs beside added runs, context on both sides, with line numbers', () => {
    expect(splitDiff(UNIFIED)).toEqual([
      { hunk: '@@ -101,4 +101,5 @@' },
      { left: { line: 101, text: '      retries:', kind: 'context' }, right: { line: 101, text: '      retries:', kind: 'context' } },
      { left: { line: 102, text: '        attempts: 2', kind: 'removed' }, right: { line: 102, text: '        attempts: 3', kind: 'added' } },
      { left: null, right: { line: 103, text: '        perTryTimeout: 1s', kind: 'added' } },
      { left: { line: 103, text: '      retryOn:', kind: 'context' }, right: { line: 104, text: '      retryOn:', kind: 'context' } },
      { hunk: '@@ -200,2 +201,1 @@' },
      { left: { line: 200, text: '      old: true', kind: 'removed' }, right: null },
      { left: { line: 201, text: '      kept: yes', kind: 'context' }, right: { line: 201, text: '      kept: yes', kind: 'context' } },
    ]);
  });

  it('has no rows for a diff without hunks', () => {
    expect(splitDiff('')).toEqual([]);
  });
});
