/**
 * Test helpers for the resource schemas: the example documents of docs/resources.md
 * (testdata/examples/*.yaml) and a shorthand for "the issues of this document".
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FieldIssue } from '../errors.ts';
import { validateResource, type ValidateOptions } from './validate.ts';

export const EXAMPLE_NAMES = ['service', 'http-route', 'traffic-policy', 'authorization-policy', 'mesh-config', 'rollout'] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

const texts = new Map<ExampleName, string>();

export function exampleText(name: ExampleName): string {
  let text = texts.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./testdata/examples/${name}.yaml`, import.meta.url), 'utf8');
    texts.set(name, text);
  }
  return text;
}

const parsed = new Map<ExampleName, unknown>();

/** A fresh copy of an example document, to mutate freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into documents freely
export function example(name: ExampleName): Record<string, unknown> & { spec: Record<string, any>; metadata: Record<string, any> } {
  if (!parsed.has(name)) parsed.set(name, parse(exampleText(name)));
  return structuredClone(parsed.get(name)) as ReturnType<typeof example>;
}

/** The issues of a document; [] when it is valid. */
export function issuesOf(doc: unknown, opts?: ValidateOptions): FieldIssue[] {
  const result = validateResource(doc, opts);
  return result.ok ? [] : result.issues;
}

/** `path: message` lines, for compact assertions. */
export function issueLines(doc: unknown, opts?: ValidateOptions): string[] {
  return issuesOf(doc, opts).map((i) => `${i.path}: ${i.message}`);
}

/** A minimal valid document of `kind` around `spec`. */
export function doc(kind: string, spec: unknown, name = 'example'): Record<string, unknown> {
  return { apiVersion: 'weft.dev/v1alpha1', kind, metadata: { name, namespace: 'shop' }, spec };
}
