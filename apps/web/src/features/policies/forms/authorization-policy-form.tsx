'use client';

import { useId } from 'react';
import { Button } from '../../ui/button';
import { CheckboxField } from '../../ui/field';
import {
  actionEdits,
  addRuleEdits,
  authorizationPolicyValues,
  HTTP_METHODS,
  methodEdits,
  modeEdits,
  removeRuleEdits,
  ruleListEdits,
  type AuthorizationPolicyValues,
  type AuthorizationRuleValues,
  type PolicyAction,
  type PolicyMode,
} from './authorization-policy-model';
import { FormSection, FormShell, ValueListField } from './form-parts';
import { usePolicyText, type PolicyFormProps, type PolicyText } from './use-policy-text';
import styles from './policy-forms.module.css';

/** A group of radio buttons: one choice, arrow keys move between them (native behaviour). */
function RadioGroup<T extends string>({
  legend,
  value,
  options,
  onChange,
}: {
  legend: string;
  value: T | undefined;
  options: readonly { value: T; label: string; hint: string }[];
  onChange(value: T): void;
}) {
  const name = useId();
  return (
    <fieldset className={styles.choices}>
      <legend className={styles.legend}>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className={styles.radio}>
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
          <span>
            <strong>{option.label}</strong> <span className={styles.muted}>{option.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

const ACTIONS: readonly { value: PolicyAction; label: string; hint: string }[] = [
  { value: 'ALLOW', label: 'ALLOW', hint: 'only requests matching a rule get through' },
  { value: 'DENY', label: 'DENY', hint: 'requests matching a rule are refused with 403' },
];

const MODES: readonly { value: PolicyMode; label: string; hint: string }[] = [
  { value: 'audit', label: 'Audit', hint: 'evaluate and report what it would do; never change the outcome' },
  { value: 'enforce', label: 'Enforce', hint: 'decide requests' },
];

interface RuleProps {
  rule: AuthorizationRuleValues;
  values: AuthorizationPolicyValues;
  policy: PolicyText;
  identities: string[];
  namespaces: string[];
}

function RuleEditor({ rule, values, policy, identities, namespaces }: RuleProps) {
  const titleId = useId();
  const title = `Rule ${rule.index + 1}`;
  const everything = values.action === 'DENY' ? 'With DENY, it refuses every request.' : 'With ALLOW, it lets every request through.';
  return (
    <li className={styles.rule} aria-labelledby={titleId}>
      <div className={styles.ruleHeader}>
        <h4 id={titleId} className={styles.ruleTitle}>
          {title}
        </h4>
        <Button size="small" variant="ghost" disabled={values.rules.length <= 1} aria-label={`Remove ${title}`} onClick={() => policy.applyOrReport(removeRuleEdits(rule.index))}>
          Remove
        </Button>
      </div>
      {rule.matchesEverything && (
        <p className={styles.warning}>
          This rule has no conditions: it matches every request. {everything}
        </p>
      )}
      {rule.elsewhere.length > 0 && <p className={styles.note}>Also in the YAML, unchanged by the form: {rule.elsewhere.join('; ')}.</p>}
      <div className={styles.ruleColumns}>
        <div className={styles.ruleColumn}>
          <p className={styles.columnTitle}>From (callers: all of the fields given must match)</p>
          <ValueListField
            label={`${title} principals`}
            values={rule.principals}
            suggestions={identities}
            placeholder="spiffe://…/ns/shop/sa/checkout"
            onChange={(next) => policy.apply(ruleListEdits(values, rule.index, 'principals', next))}
          />
          <ValueListField
            label={`${title} namespaces`}
            values={rule.namespaces}
            suggestions={namespaces}
            placeholder="shop"
            onChange={(next) => policy.apply(ruleListEdits(values, rule.index, 'namespaces', next))}
          />
        </div>
        <div className={styles.ruleColumn}>
          <p className={styles.columnTitle}>To (operations)</p>
          <fieldset className={styles.methods}>
            <legend className={styles.legend}>{title} methods</legend>
            {HTTP_METHODS.map((method) => (
              <CheckboxField
                key={method}
                label={method}
                checked={rule.methods.includes(method)}
                onChange={(event) => policy.applyOrReport(methodEdits(values, rule.index, method, event.target.checked))}
              />
            ))}
          </fieldset>
          <ValueListField
            label={`${title} paths`}
            values={rule.paths}
            placeholder="/api/*"
            onChange={(next) => policy.apply(ruleListEdits(values, rule.index, 'paths', next))}
          />
        </div>
      </div>
    </li>
  );
}

/**
 * The AuthorizationPolicy form: action, mode, and the rules' callers (principals, namespaces) and
 * operations (methods, paths). `identities` and `namespaces` are offered as suggestions; any
 * pattern the schema accepts (`spiffe://…/ns/shop/*`, `*`) may be typed.
 */
export function AuthorizationPolicyForm({ text, onTextChange, readOnly, readOnlyReason, identities = [], namespaces = [] }: PolicyFormProps) {
  const policy = usePolicyText(text, onTextChange);
  const values = authorizationPolicyValues(policy.document);
  return (
    <FormShell label="AuthorizationPolicy form" policy={policy} readOnly={readOnly} readOnlyReason={readOnlyReason}>
      <p className={styles.note}>{values.target === undefined ? 'Protects every service of the namespace.' : `Protects ${values.target}.`}</p>
      <div className={styles.fields}>
        <RadioGroup legend="Action" value={values.action} options={ACTIONS} onChange={(action) => policy.applyOrReport(actionEdits(action))} />
        <RadioGroup
          legend={values.modeIsDefault ? 'Mode (not set: enforce)' : 'Mode'}
          value={values.mode}
          options={MODES}
          onChange={(mode) => policy.applyOrReport(modeEdits(mode))}
        />
      </div>
      <FormSection title="Rules" description="The policy applies to a request when any rule matches it. Empty lists match anything.">
        <ol className={styles.rules}>
          {values.rules.map((rule) => (
            <RuleEditor key={rule.index} rule={rule} values={values} policy={policy} identities={identities} namespaces={namespaces} />
          ))}
        </ol>
        <div>
          <Button onClick={() => policy.applyOrReport(addRuleEdits(values))}>Add a rule</Button>
        </div>
      </FormSection>
    </FormShell>
  );
}
