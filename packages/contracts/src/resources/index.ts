/**
 * The mesh resource API: Kubernetes-style documents (`apiVersion: weft.dev/v1alpha1`), their
 * schemas, and the parsing and validation every surface (REST, tRPC, CLI, console) shares.
 * The reference for users is docs/resources.md.
 *
 *   text ──parseDocuments──▶ plain values ──validateResource──▶ Resource (typed by kind)
 *        └──────────────────── parseResources (both, with line numbers) ──────────────▲
 */
export {
  API_VERSION,
  MAX_DOCUMENT_BYTES,
  RESOURCE_LIMITS,
  ObjectMetaSchema,
  type ObjectMeta,
  ClusterObjectMetaSchema,
  type ClusterObjectMeta,
  DnsLabelNameSchema,
  DnsSubdomainNameSchema,
  LabelKeySchema,
  LabelValueSchema,
  LabelsSchema,
  LabelSelectorSchema,
  AnnotationsSchema,
  PortNumberSchema,
  PercentSchema,
  ServiceTargetRefSchema,
  type ServiceTargetRef,
  HeaderNameSchema,
  HeaderValueSchema,
  PROTECTED_HEADERS,
  PreciseHostnameSchema,
  HostnameSchema,
} from './common.ts';
export { parseDuration, formatDuration, durationSchema, DurationSchema, MAX_DURATION_LENGTH } from './duration.ts';
export {
  compileUserRegex,
  type CompileUserRegexResult,
  type UserRegex,
  UserRegexSchema,
  MAX_REGEX_LENGTH,
  MAX_REGEX_PROGRAM_SIZE,
} from './regex.ts';
export { formatPath, parsePath, type PathSegment, suggest, resourceErrorMap, toFieldIssues } from './issues.ts';
export * from './service.ts';
export * from './http-route.ts';
export * from './traffic-policy.ts';
export * from './authorization-policy.ts';
export * from './mesh-config.ts';
export * from './rollout.ts';
export * from './kinds.ts';
export { validateResource, unstorableText, unstorableIssues, type ValidateOptions, type ValidationResult } from './validate.ts';
export {
  parseDocuments,
  parseResources,
  type ParseOptions,
  type ParsedDocuments,
  type ParsedResources,
  type DocumentError,
  type DocumentSource,
  MAX_INPUT_BYTES,
  MAX_DOCUMENTS,
  MAX_NESTING_DEPTH,
  MAX_ALIAS_COUNT,
} from './parse.ts';
export * from './api.ts';
export * from './changes.ts';
export * from './summary.ts';
