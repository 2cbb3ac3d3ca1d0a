/** Validation beyond the schema: findings about resources, judged against each other and the inventory. */
export { validateMesh, hasErrors, introducedDiagnostics, type ValidateMeshOptions } from './validate.ts';
export { refOf, VALIDATION_CODES, type ResourceRef, type ValidationCode, type ValidationDiagnostic } from './diagnostics.ts';
export { DENY_ALL_ANNOTATION, DENY_ALL_ACKNOWLEDGED } from './authorization.ts';
