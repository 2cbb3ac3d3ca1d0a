'use client';

import type { CreatedApiToken } from '@weft/contracts';
import { formStyles } from '../ui/field';
import { SecretDialog, secretDialogStyles } from '../ui/secret-dialog';

/** The one time an API token's secret is visible, with how to send it. */
export function TokenSecretDialog({ created, onClose }: { created: CreatedApiToken | null; onClose: () => void }) {
  return (
    <SecretDialog
      secret={created?.secret ?? null}
      title={`Token ${created?.token.name ?? ''} created`}
      ifLost="If it is lost, revoke this token and create another."
      onClose={onClose}
    >
      <p className={formStyles.hint}>Send it as a bearer token, e.g.:</p>
      <pre className={secretDialogStyles.usage}>curl -H &quot;Authorization: Bearer $WEFT_TOKEN&quot; {typeof window === 'undefined' ? '' : window.location.origin}/api/v1/auth/whoami</pre>
    </SecretDialog>
  );
}
