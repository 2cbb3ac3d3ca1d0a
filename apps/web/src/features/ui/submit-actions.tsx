'use client';

import { Button } from './button';
import { FormActions } from './field';

/**
 * The footer of every form dialog: Cancel, and a submit button that says what it is doing
 * while the request runs (`Creating…`) and cannot be pressed twice.
 */
export function SubmitActions(props: { onCancel: () => void; label: string; pendingLabel: string; pending: boolean; disabled?: boolean }) {
  return (
    <FormActions>
      <Button onClick={props.onCancel}>Cancel</Button>
      <Button type="submit" variant="primary" disabled={props.pending || props.disabled === true}>
        {props.pending ? props.pendingLabel : props.label}
      </Button>
    </FormActions>
  );
}
