'use client';

import type { CreatedApiToken } from '@weft/contracts';
import { useState } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Alert } from '../ui/feedback';
import { FormActions, formStyles } from '../ui/field';
import styles from './tokens.module.css';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * The one time a token's secret is visible: a read-only field, a Copy button, how to use it. The
 * secret lives only in this dialog's props; closing the dialog drops it.
 */
export function TokenSecretDialog({ created, onClose }: { created: CreatedApiToken | null; onClose: () => void }) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const close = () => {
    setCopy('idle');
    onClose();
  };
  const copySecret = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <Dialog open={created !== null} onClose={close} title={`Token ${created?.token.name ?? ''} created`} wide>
      <Alert tone="warning">
        <p>
          <strong>Copy the secret now: it will not be shown again.</strong>
        </p>
        <p>Weft keeps only a hash of it. If it is lost, revoke this token and create another.</p>
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
            value={created?.secret ?? ''}
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
      <div>
        <p className={formStyles.hint}>Send it as a bearer token, e.g.:</p>
        <pre className={styles.usage}>curl -H &quot;Authorization: Bearer $WEFT_TOKEN&quot; {typeof window === 'undefined' ? '' : window.location.origin}/api/v1/auth/whoami</pre>
      </div>
      <FormActions>
        <Button onClick={close}>I have stored it</Button>
      </FormActions>
    </Dialog>
  );
}
