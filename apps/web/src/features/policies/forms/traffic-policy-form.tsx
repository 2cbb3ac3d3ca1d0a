'use client';

import { CheckboxField, SelectField } from '../../ui/field';
import { DraftField, FormSection, FormShell } from './form-parts';
import {
  CIRCUIT_BREAKER_FIELDS,
  fieldEdits,
  fieldText,
  LOAD_BALANCER_POLICIES,
  loadBalancerEdits,
  RETRY_CONDITIONS,
  RETRY_FIELDS,
  retriesEnabledEdits,
  retryNonIdempotentEdits,
  retryOnEdits,
  STATUS_CODES_FIELD,
  TIMEOUT_FIELDS,
  trafficPolicyValues,
  type LoadBalancerPolicy,
  type PolicyField,
} from './traffic-policy-model';
import { usePolicyText, type PolicyFormProps, type PolicyText } from './use-policy-text';
import styles from './policy-forms.module.css';

function Fields({ fields, document, policy }: { fields: readonly PolicyField[]; document: unknown; policy: PolicyText }) {
  return (
    <div className={styles.fields}>
      {fields.map((field) => (
        <DraftField
          key={field.path.join('.')}
          label={field.label}
          value={fieldText(document, field)}
          placeholder={field.placeholder}
          hint={field.hint}
          inputMode={field.kind === 'count' ? 'numeric' : field.kind === 'percent' ? 'decimal' : 'text'}
          commit={(input) => {
            const result = fieldEdits(field, input);
            return result.ok ? policy.apply(result.edits) : result.problem;
          }}
        />
      ))}
    </div>
  );
}

/**
 * The TrafficPolicy form: timeouts, retries, circuit breaker and load balancer of the whole
 * service. Empty fields show the default that applies. Per-version overrides (subsets), outlier
 * detection, rate limits and fault injection stay in the YAML.
 */
export function TrafficPolicyForm({ text, onTextChange, readOnly, readOnlyReason }: PolicyFormProps) {
  const policy = usePolicyText(text, onTextChange);
  const document = policy.document;
  const values = trafficPolicyValues(document);
  return (
    <FormShell label="TrafficPolicy form" policy={policy} readOnly={readOnly} readOnlyReason={readOnlyReason}>
      {values.subsets.length > 0 && (
        <p className={styles.note}>
          Overrides for {values.subsets.join(', ')} (spec.subsets) replace whole sections for those versions; edit them in the YAML.
        </p>
      )}
      <FormSection title="Timeouts" description="Durations like 500ms, 2s or 1m. Empty: the default shown applies.">
        <Fields fields={TIMEOUT_FIELDS} document={document} policy={policy} />
      </FormSection>
      <FormSection title="Retries">
        <CheckboxField
          label="Retry failed requests"
          checked={values.retriesEnabled}
          onChange={(event) => policy.applyOrReport(retriesEnabledEdits(event.target.checked))}
          hint="Retries stay within the retry budget and the circuit breaker's max retries."
        />
        {values.retriesEnabled && (
          <>
            <Fields fields={RETRY_FIELDS} document={document} policy={policy} />
            <fieldset className={styles.choices}>
              <legend className={styles.legend}>Retry on {values.retryOnIsDefault && <span className={styles.muted}>(the defaults)</span>}</legend>
              {RETRY_CONDITIONS.map((condition) => (
                <CheckboxField
                  key={condition.value}
                  label={condition.label}
                  checked={values.retryOn.includes(condition.value)}
                  onChange={(event) => policy.applyOrReport(retryOnEdits(values, condition.value, event.target.checked))}
                />
              ))}
            </fieldset>
            {values.retryOn.includes('retriable-status-codes') && <Fields fields={[STATUS_CODES_FIELD]} document={document} policy={policy} />}
            <CheckboxField
              label="Also retry non-idempotent requests (POST, PATCH, CONNECT)"
              checked={values.retryNonIdempotent}
              onChange={(event) => policy.applyOrReport(retryNonIdempotentEdits(event.target.checked))}
            />
          </>
        )}
      </FormSection>
      <FormSection title="Circuit breaker" description="Per calling proxy; beyond a limit, requests fail fast with 503.">
        <Fields fields={CIRCUIT_BREAKER_FIELDS} document={document} policy={policy} />
      </FormSection>
      <FormSection title="Load balancing">
        <SelectField
          label="Policy"
          value={values.loadBalancer}
          onChange={(event) => policy.applyOrReport(loadBalancerEdits(event.target.value as LoadBalancerPolicy | ''))}
        >
          <option value="">Default (LEAST_REQUEST)</option>
          {LOAD_BALANCER_POLICIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </SelectField>
      </FormSection>
    </FormShell>
  );
}
