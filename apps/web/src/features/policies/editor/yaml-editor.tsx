'use client';

import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import type { ResourceKind } from '@weft/contracts/resources';
import { useEffect, useRef } from 'react';
import { inventorySuggestionsAt, type InventoryHints } from './inventory-completion';
import { schemaOfKind, suggestionsAt, type Suggestion } from './schema-completion';
import { editorTheme } from './theme';
import { yamlContextsAt } from './yaml-context';
import styles from './yaml-editor.module.css';

/** A finding to show in the editor, at a 1-based line. */
export interface EditorDiagnostic {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface YamlEditorProps {
  value: string;
  onChange?: (value: string) => void;
  /** The kind whose schema drives completion (none without it). */
  kind?: ResourceKind | null;
  diagnostics?: readonly EditorDiagnostic[];
  readOnly?: boolean;
  /** The accessible name of the text area. */
  label: string;
  /** Id of the element that describes the editor (the keyboard hint, a diagnostics summary). */
  describedBy?: string;
  /** Services, versions, identities and namespaces offered where a policy names one. */
  hints?: InventoryHints;
  /** The text has a problem (said by the element `describedBy` names): `aria-invalid`. */
  invalid?: boolean;
}

const NO_HINTS: InventoryHints = { services: [], versions: [], identities: [], namespaces: [] };

/** Characters of a completed word: names, versions, durations, paths, SPIFFE IDs. */
const WORD = /[\w./*:-]*/;

function completionSource(kind: ResourceKind, hints: { current: InventoryHints }) {
  return (context: CompletionContext): CompletionResult | null => {
    const contexts = yamlContextsAt(context.state.doc.toString(), context.pos);
    if (contexts.length === 0) return null;
    const word = context.matchBefore(WORD);
    if (!context.explicit && (word === null || word.from === word.to) && contexts.every((c) => c.at === 'key')) return null;
    const seen = new Set<string>();
    const suggestions = contexts
      .flatMap((at): Suggestion[] => [...suggestionsAt(schemaOfKind(kind), at), ...inventorySuggestionsAt(hints.current, at)])
      .filter((s) => !seen.has(s.label) && seen.add(s.label));
    if (suggestions.length === 0) return null;
    const options = suggestions.map((s) => ({ label: s.label, apply: s.insert, type: s.type === 'value' ? 'variable' : s.type, ...(s.detail ? { detail: s.detail } : {}), ...(s.info ? { info: s.info } : {}) }));
    return { from: word ? word.from : context.pos, options, validFor: /^[\w./*:-]*$/ };
  };
}

function toCodeMirror(state: EditorState, diagnostics: readonly EditorDiagnostic[]): CmDiagnostic[] {
  return diagnostics.map((d) => {
    const line = state.doc.line(Math.min(Math.max(d.line, 1), state.doc.lines));
    const indent = line.text.length - line.text.trimStart().length;
    return { from: line.from + indent, to: Math.max(line.to, line.from + indent), severity: d.severity, message: d.message };
  });
}

/**
 * A YAML editor (CodeMirror 6): line numbers, syntax colours, undo, completion from the kind's
 * schema (Ctrl-Space, or as you type a key), and the findings of the last validation marked at
 * their lines. Tab indents; Escape then Tab moves focus on (CodeMirror's tab-focus escape).
 * The text is controlled: `value` replaces the document when it differs from what was typed
 * (a form edit), `onChange` reports every edit.
 */
export function YamlEditor({ value, onChange, kind = null, diagnostics = [], readOnly = false, label, describedBy, hints = NO_HINTS, invalid = false }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  // Read at each completion: the inventory arrives after the editor is made.
  const hintsRef = useRef(hints);
  const compartments = useRef({ readOnly: new Compartment(), completion: new Compartment(), aria: new Compartment() });
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);
  useEffect(() => {
    hintsRef.current = hints;
  }, [hints]);

  const readOnlyExtension = (on: boolean): Extension => [EditorState.readOnly.of(on), EditorView.editable.of(!on)];
  const completionExtension = (k: ResourceKind | null): Extension => (k ? autocompletion({ override: [completionSource(k, hintsRef)], activateOnTyping: true }) : []);
  const ariaExtension = (): Extension =>
    EditorView.contentAttributes.of({
      'aria-label': label,
      'aria-multiline': 'true',
      ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      ...(readOnly ? { 'aria-readonly': 'true' } : {}),
      ...(invalid ? { 'aria-invalid': 'true' } : {}),
    });

  useEffect(() => {
    const c = compartments.current;
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          editorTheme,
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          yaml(),
          lintGutter(),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorState.tabSize.of(2),
          c.readOnly.of(readOnlyExtension(readOnly)),
          c.completion.of(completionExtension(kind)),
          c.aria.of(ariaExtension()),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The view is made once; props reach it through the effects below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const c = compartments.current;
    editor.dispatch({ effects: [c.readOnly.reconfigure(readOnlyExtension(readOnly)), c.completion.reconfigure(completionExtension(kind)), c.aria.reconfigure(ariaExtension())] });
  }, [readOnly, kind, label, describedBy, invalid]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setDiagnostics(editor.state, toCodeMirror(editor.state, diagnostics)));
  }, [diagnostics, value]);

  return <div ref={host} className={styles.editor} data-testid="yaml-editor" />;
}
