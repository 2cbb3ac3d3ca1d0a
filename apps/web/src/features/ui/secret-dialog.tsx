'use client';

import { useState, type ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';
import { Alert } from './feedback';
import { FormActions, formStyles } from './field';
import styles from './secret-dialog.module.css';

type CopyState = 'idle' | 'copied' | 'failed';

interface SecretDialogProps {
  /** The secret; null while there is none to show (the dialog is closed). */
  secret: string | null;
  title: string;
  /** What to do when it is lost, after "Weft keeps only a hash of it." */
  ifLost: string;
  /** How to use it, below the field (a `<pre className={secretDialogStyles.usage}>` line or two). */
  children: ReactNode;
  onClose: () => void;
}

/**
 * The one time a secret is visible: a read-only field, a Copy button, how to use it. The secret
 * lives only in this dialog's props; closing the dialog drops it.
 */
export function SecretDialog({ secret, title, ifLost, children, onClose }: SecretDialogProps) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const close = () => {
    setCopy('idle');
    onClose();
  };
  const copySecret = async () => {
    if (secret === null) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <Dialog open={secret !== null} onClose={close} title={title} wide>
      <Alert tone="warning">
        <p>
          <strong>Copy the secret now: it will not be shown again.</strong>
        </p>
        <p>Weft keeps only a hash of it. {ifLost}</p>
      </Alert>
      <div className={formStyles.field}>
        <label htmlFor="token-secret" className={formStyles.label}>
          Secret
        </label>
        <div className={styles.secretRow}>
          <input
            id="token-secret"
            className={`${formStyles.input} ${formStyles.mono}`}
            readOnly
            value={secret ?? ''}
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            autoComplete="off"
          />
          <Button variant="primary" onClick={() => void copySecret()} autoFocus>
            Copy
          </Button>
        </div>
        <div aria-live="polite">
          {copy === 'copied' && <p className={styles.copied}>Copied to the clipboard.</p>}
          {copy === 'failed' && <p className={styles.copyFailed}>Could not copy: select the secret and copy it yourself.</p>}
        </div>
      </div>
      <div>{children}</div>
      <FormActions>
        <Button onClick={close}>I have stored it</Button>
      </FormActions>
    </Dialog>
  );
}

export { styles as secretDialogStyles };
