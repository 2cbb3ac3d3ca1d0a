'use client';

import { MergeView } from '@codemirror/merge';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { editorTheme } from '../editor/theme';
import styles from './review.module.css';

const common = (label: string, editable: boolean): Extension[] => [
  editorTheme,
  lineNumbers(),
  yaml(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  // Read-only but focusable (selectable, copyable, reachable by keyboard) on both sides.
  EditorState.readOnly.of(!editable),
  EditorView.contentAttributes.of({ 'aria-label': label }),
];

export interface SideBySideDiffProps {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
  /**
   * Makes the right side editable, with buttons on each changed block that copy the left side's
   * version into it (the conflict view); `onAfterChange` gets every edit.
   */
  onAfterChange?: (text: string) => void;
}

/** Two YAML texts side by side with their changes highlighted (@codemirror/merge). */
export function SideBySideDiff({ before, after, beforeLabel, afterLabel, onAfterChange }: SideBySideDiffProps) {
  const host = useRef<HTMLDivElement>(null);
  const onChange = useRef(onAfterChange);
  useEffect(() => {
    onChange.current = onAfterChange;
  }, [onAfterChange]);
  const editable = onAfterChange !== undefined;

  useEffect(() => {
    const view = new MergeView({
      parent: host.current!,
      a: { doc: before, extensions: common(beforeLabel, false) },
      b: {
        doc: after,
        extensions: [
          ...common(afterLabel, editable),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChange.current?.(update.state.doc.toString());
          }),
        ],
      },
      ...(editable ? { revertControls: 'a-to-b' as const } : {}),
      gutter: true,
      highlightChanges: true,
    });
    return () => view.destroy();
  }, [before, after, beforeLabel, afterLabel, editable]);

  return (
    <div className={styles.sideBySide}>
      <div className={styles.sideHeads} aria-hidden="true">
        <span>{beforeLabel}</span>
        <span>{afterLabel}</span>
      </div>
      <div ref={host} className={styles.merge} />
    </div>
  );
}
