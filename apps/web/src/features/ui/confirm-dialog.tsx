'use client';

import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';
import { ErrorAlert } from './feedback';
import { FormActions } from './field';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  /** `danger` for what cannot be undone (delete, revoke, remove). */
  tone?: 'danger' | 'primary';
  pending: boolean;
  /** The failed attempt, shown in the dialog (e.g. a CONFLICT saying why not). */
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" for one action; stays open, showing the error, when the action fails. */
export function ConfirmDialog({ open, title, children, confirmLabel, tone = 'danger', pending, error, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onCancel} title={title}>
      <div>{children}</div>
      <ErrorAlert error={error} />
      <FormActions>
        <Button onClick={onCancel} autoFocus>
          Cancel
        </Button>
        <Button variant={tone === 'danger' ? 'dangerSolid' : 'primary'} onClick={onConfirm} disabled={pending}>
          {pending ? 'Working…' : confirmLabel}
        </Button>
      </FormActions>
    </Dialog>
  );
}
