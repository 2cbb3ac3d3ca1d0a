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
import { schemaOfKind, suggestionsAt } from './schema-completion';
import { editorTheme } from './theme';
import { yamlContextAt } from './yaml-context';
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
}

function completionSource(kind: ResourceKind) {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const at = yamlContextAt(text, context.pos);
    if (!at) return null;
    const word = context.matchBefore(/[\w./*-]*/);
    if (!context.explicit && (word === null || word.from === word.to) && at.at === 'key') return null;
    const options = suggestionsAt(schemaOfKind(kind), at).map((s) => ({ label: s.label, apply: s.insert, type: s.type, ...(s.detail ? { detail: s.detail } : {}), ...(s.info ? { info: s.info } : {}) }));
    if (options.length === 0) return null;
    return { from: word ? word.from : context.pos, options, validFor: /^[\w./*-]*$/ };
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
export function YamlEditor({ value, onChange, kind = null, diagnostics = [], readOnly = false, label, describedBy }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const compartments = useRef({ readOnly: new Compartment(), completion: new Compartment(), aria: new Compartment() });
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  const readOnlyExtension = (on: boolean): Extension => [EditorState.readOnly.of(on), EditorView.editable.of(!on)];
  const completionExtension = (k: ResourceKind | null): Extension => (k ? autocompletion({ override: [completionSource(k)], activateOnTyping: true }) : []);
  const ariaExtension = (): Extension =>
    EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(readOnly ? { 'aria-readonly': 'true' } : {}) });

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
  }, [readOnly, kind, label, describedBy]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setDiagnostics(editor.state, toCodeMirror(editor.state, diagnostics)));
  }, [diagnostics, value]);

  return <div ref={host} className={styles.editor} data-testid="yaml-editor" />;
}
