/**
 * routing/: pure, per snapshot. `buildRoutingTable(snapshot)` answers, for each request, where its
 * authority goes (mesh service, egress, refusal) and which route applies (backend, filters,
 * timeouts, mirrors). See table.ts for the shape, match.ts and resolve.ts for the semantics.
 */
export { buildRoutingTable } from './table.ts';
export { RoutingTableError } from './match.ts';
export { RESOLVE_CACHE_SIZE } from './resolve.ts';
export { parseAuthority, type ParsedAuthority } from './authority.ts';
