import { EditorView } from '@codemirror/view';

/**
 * The editors' font and line height, set in their theme rather than in page CSS: CodeMirror
 * measures line heights when it mounts, and gutters would not line up with text styled later.
 */
export const editorTheme = EditorView.theme({
  '&': { fontSize: '0.8125rem' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
});
