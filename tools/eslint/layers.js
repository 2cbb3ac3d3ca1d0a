/**
 * ESLint rule `weft/layers`: the import boundaries of ../../shared/DESIGN.md ("Layout"), as errors.
 *
 * Every file belongs to an element (contracts, db, proxy, web, or a control-plane layer such as
 * cp:api). Every import target is classified the same way — relative paths by where they resolve,
 * workspace packages by name, Prisma and the Kubernetes client as their own elements — and the
 * pair is checked against ALLOWED below. Unknown pairs are denied. Tooling (e2e, bench, tools,
 * examples) is unrestricted.
 *
 * Plain JavaScript so ESLint can load it on any Node without a TypeScript loader.
 */
import path from 'node:path';

const CP_LAYERS = ['api', 'services', 'repos', 'compiler', 'distribution', 'inventory', 'telemetry', 'identity', 'controllers', 'k8s', 'runtime', 'cli'];
const DOMAIN = ['distribution', 'inventory', 'telemetry', 'identity'].map((l) => `cp:${l}`);

/**
 * from element → the elements it may import. `type:<element>` allows only `import type` of it.
 * Elements may always import their own files and any external npm package not listed in
 * RESTRICTED_MODULES.
 */
export const ALLOWED = {
  contracts: [],
  db: ['prisma'],
  proxy: ['contracts'],
  web: ['contracts', 'type:cp:router'],
  'cp:api': ['contracts', 'cp:services', 'cp:router', 'cp:errors'],
  'cp:router': ['contracts', 'cp:api', 'cp:services'],
  'cp:services': ['contracts', 'cp:repos', 'cp:compiler', 'cp:errors', ...DOMAIN],
  'cp:errors': ['contracts'],
  'cp:repos': ['contracts', 'db', 'type:cp:services', 'cp:errors'],
  'cp:compiler': ['contracts'],
  'cp:distribution': ['contracts', 'cp:compiler', 'type:cp:services', 'type:cp:inventory'],
  'cp:inventory': ['contracts', 'type:cp:services', 'type:cp:compiler'],
  'cp:telemetry': ['contracts', 'type:cp:services'],
  'cp:identity': ['contracts', 'type:cp:services'],
  'cp:controllers': ['contracts', 'cp:services'],
  'cp:k8s': ['contracts', 'k8s-client', 'cp:inventory', 'type:cp:services'],
  'cp:cli': ['contracts', 'type:cp:router'],
  'cp:runtime': ['contracts', 'db', ...CP_LAYERS.map((l) => `cp:${l}`), 'cp:router', 'cp:manifest', 'cp:errors'],
};

/** External modules that are elements of their own: only some elements may import them. */
const RESTRICTED_MODULES = [
  { element: 'prisma', test: (s) => s === '@prisma/client' || s.startsWith('@prisma/') || s.startsWith('.prisma') },
  { element: 'k8s-client', test: (s) => s === '@kubernetes/client-node' || s.startsWith('@kubernetes/client-node/') },
];

const WORKSPACES = {
  '@weft/contracts': 'packages/contracts',
  '@weft/db': 'packages/db',
  '@weft/proxy': 'apps/proxy',
  '@weft/web': 'apps/web',
  '@weft/control-plane': 'apps/control-plane',
};
const PACKAGE_EXPORTS = { '@weft/control-plane/router': 'apps/control-plane/src/api/router.ts' };

const TEST_FILE = /\.(int\.)?test\.tsx?$|\/testing\.ts$|\/testing\/|\/testdata\//;

/** Classifies a repo-relative path (forward slashes) into an element, or undefined for tooling. */
export function elementOf(rel) {
  if (rel.startsWith('packages/contracts/')) return 'contracts';
  if (rel.startsWith('packages/db/')) return rel.includes('/generated/prisma') ? 'prisma' : 'db';
  if (rel.startsWith('apps/proxy/')) return 'proxy';
  if (rel.startsWith('apps/web/')) return 'web';
  if (rel === 'apps/control-plane/src/api/router.ts') return 'cp:router';
  if (rel === 'apps/control-plane/package.json') return 'cp:manifest';
  // Domain errors are thrown by repos (unique violations → ConflictError) and services alike.
  if (rel === 'apps/control-plane/src/services/errors.ts') return 'cp:errors';
  const cp = /^apps\/control-plane\/src\/([^/]+)\//.exec(rel);
  if (cp) return CP_LAYERS.includes(cp[1]) ? `cp:${cp[1]}` : 'cp:unknown';
  if (rel.startsWith('apps/control-plane/')) return 'cp:unknown';
  return undefined;
}

/** Where an import specifier points: an element, 'external', or 'outside' (a repo file no element owns). */
export function targetOf(specifier, fromFile, root) {
  for (const { element, test } of RESTRICTED_MODULES) if (test(specifier)) return element;
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const rel = toRel(path.resolve(path.dirname(fromFile), specifier), root);
    if (rel.startsWith('../')) return 'outside';
    return elementOf(rel) ?? 'outside';
  }
  if (PACKAGE_EXPORTS[specifier]) return elementOf(PACKAGE_EXPORTS[specifier]);
  const pkg = specifier.split('/').slice(0, 2).join('/');
  if (WORKSPACES[pkg]) {
    const sub = specifier.slice(pkg.length);
    return elementOf(`${WORKSPACES[pkg]}/src${sub}/x.ts`) ?? elementOf(`${WORKSPACES[pkg]}/x`) ?? 'outside';
  }
  if (specifier.startsWith('@weft/')) return 'outside';
  return 'external';
}

function toRel(file, root) {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Why `from` may not import `target` with this import kind, or undefined when it may. */
export function violation(from, target, importKind, isTestFile) {
  if (target === 'external' || target === from) return undefined;
  const allowed = ALLOWED[from];
  if (!allowed) return `${from} files are not part of the layout in DESIGN.md; move the file into a layer`;
  if (allowed.includes(target)) return undefined;
  if (importKind === 'type' && allowed.includes(`type:${target}`)) return undefined;
  // Tests may create databases (@weft/db/testing) and start the real control plane (runtime/testing.ts).
  if (isTestFile && (target === 'db' || (from.startsWith('cp:') && target === 'cp:runtime'))) return undefined;
  if (allowed.includes(`type:${target}`)) return `${from} may import ${target} only with \`import type\``;
  const list = allowed.length > 0 ? allowed.join(', ') : 'nothing of ours';
  return `${from} must not import ${target} (allowed: ${list}; see DESIGN.md "Layout")`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import boundaries between Weft packages and control-plane layers' },
    schema: [],
    messages: { forbidden: "Import of '{{specifier}}': {{reason}}." },
  },
  create(context) {
    const root = context.settings.weftRoot ?? context.cwd;
    const file = context.filename;
    const rel = toRel(file, root);
    const from = elementOf(rel);
    if (!from) return {};
    const isTestFile = TEST_FILE.test(rel);

    function check(node, sourceNode, importKind) {
      if (!sourceNode || typeof sourceNode.value !== 'string') return;
      const specifier = sourceNode.value;
      const reason = violation(from, targetOf(specifier, file, root), importKind, isTestFile);
      if (reason) context.report({ node, messageId: 'forbidden', data: { specifier, reason } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind ?? 'value'),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, node.exportKind ?? 'value'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind ?? 'value'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source, 'value'),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node, node.moduleReference.expression, node.importKind ?? 'value'),
    };
  },
};

export default { rules: { layers: layersRule } };
