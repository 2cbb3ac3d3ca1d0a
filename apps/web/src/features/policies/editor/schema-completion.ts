/**
 * Schema-aware completion for the policy editor: the JSON Schema of a kind (made from the
 * contracts' zod schema with `z.toJSONSchema`, so the editor offers exactly what the API accepts)
 * walked along the cursor's YAML path.
 *
 *   at a key   → the mapping's properties not written yet, with their type and description
 *   at a value → the enum / const / boolean values the field takes (list items for a list)
 */
import { z } from 'zod';
import { KINDS, type ResourceKind } from '@weft/contracts/resources';
import type { YamlContext, YamlPath } from './yaml-context';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  required?: string[];
}

export interface Suggestion {
  label: string;
  /** What goes into the text. */
  insert: string;
  /** A field, a value the schema allows, or a value from the inventory (inventory-completion.ts). */
  type: 'property' | 'enum' | 'value';
  /** The field's type (`integer`, `list of string`…), or the value's. */
  detail?: string;
  info?: string;
}

const cache = new Map<ResourceKind, JsonSchema>();

/** The JSON Schema of a kind's document (input side: what may be written). */
export function schemaOfKind(kind: ResourceKind): JsonSchema {
  let schema = cache.get(kind);
  if (!schema) {
    schema = z.toJSONSchema(KINDS[kind].schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
    cache.set(kind, schema);
  }
  return schema;
}

/** The alternatives a schema stands for (anyOf/oneOf/allOf flattened). */
function variants(schema: JsonSchema): JsonSchema[] {
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  return nested.length ? [schema, ...nested.flatMap(variants)] : [schema];
}

/** The schemas a path may lead to (several when alternatives differ). */
export function schemasAt(root: JsonSchema, path: YamlPath): JsonSchema[] {
  let current = [root];
  for (const step of path) {
    const next: JsonSchema[] = [];
    for (const schema of current.flatMap(variants)) {
      if (typeof step === 'string' && schema.properties?.[step]) next.push(schema.properties[step]);
      if (typeof step === 'number' && schema.items) next.push(schema.items);
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function typeText(schema: JsonSchema): string | undefined {
  const all = variants(schema);
  const list = all.find((s) => s.type === 'array' && s.items);
  if (list?.items) return `list of ${typeText(list.items) ?? 'values'}`;
  const types = [...new Set(all.flatMap((s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : [])))];
  if (types.length) return types.join(' | ').replace('object', 'mapping');
  return undefined;
}

function valuesOf(schema: JsonSchema): unknown[] {
  return variants(schema).flatMap((s) => [...(s.enum ?? []), ...(s.const !== undefined ? [s.const] : []), ...(s.type === 'boolean' ? [true, false] : [])]);
}

const scalarText = (value: unknown) => (typeof value === 'string' && /^[\w./-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|\d.*)$/i.test(value) ? value : JSON.stringify(value));

/** What to offer at the cursor; empty when the schema says nothing about that place. */
export function suggestionsAt(root: JsonSchema, context: YamlContext): Suggestion[] {
  const schemas = schemasAt(root, context.path);
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  if (context.at === 'key') {
    for (const schema of schemas.flatMap(variants)) {
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        if (seen.has(name) || context.siblings.includes(name)) continue;
        seen.add(name);
        const detail = typeText(field);
        const nested = variants(field).some((s) => s.type === 'object' || s.type === 'array');
        out.push({ label: name, insert: nested ? `${name}:` : `${name}: `, type: 'property', ...(detail ? { detail } : {}), ...(field.description ? { info: field.description } : {}) });
      }
    }
    return out;
  }
  for (const schema of schemas) {
    const targets = variants(schema).some((s) => s.type === 'array') ? schemasAt(schema, [0]) : [schema];
    for (const value of targets.flatMap(valuesOf)) {
      const text = scalarText(value);
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ label: text, insert: text, type: 'enum', detail: typeof value });
    }
  }
  return out;
}
