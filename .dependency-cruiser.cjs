// The layers of the house and what may import what (docs/architecture.md draws them). Read by
// packages/core/test/architecture.test.ts, which cruises packages/*/src and fails on any rule below.
// Each list runs from the bottom up: a folder may import its own layer and the layers under it, never one above.

/** packages/core/src: Kubernetes primitives, one scheduling model, the builders, validation on top. */
const CORE_LAYERS = [
  { name: 'primitives', folders: ['primitives', 'diagnostics'] },
  { name: 'scheduling model', folders: ['scheduling'] },
  {
    name: 'builders',
    folders: [
      'addons',
      'cost',
      'delivery',
      'emr-access',
      'fargate',
      'iam',
      'identity',
      'karpenter',
      'observability',
      'spark',
      'storage',
      'tenant',
      'yunikorn',
    ],
  },
  { name: 'validation', folders: ['validation'] },
];

/** packages/charts/src: the environment file's sections, the charts built from them, the add-ons, the whole file (schema, loading, rules), the render on top. */
const CHARTS_LAYERS = [
  { name: 'config', folders: ['config'] },
  { name: 'charts', folders: ['charts'] },
  { name: 'addons', folders: ['addons'] },
  { name: 'environment', folders: ['environment'] },
  { name: 'render', folders: ['render'] },
];

/** The packages: cli uses charts, charts uses core, core knows neither. */
const PACKAGES = ['core', 'charts', 'cli'];

const folderPattern = (pkg, folders) => `^packages/${pkg}/src/(${folders.join('|')})/`;

/** One rule per layer: nothing in it imports a layer above it. */
function downwardOnly(pkg, layers) {
  return layers.slice(0, -1).map((layer, index) => ({
    name: `${pkg}: ${layer.name} imports no layer above it`,
    comment: `${layer.name} (${layer.folders.join(', ')}) sits under ${layers
      .slice(index + 1)
      .map((above) => above.name)
      .join(', ')}`,
    severity: 'error',
    from: { path: folderPattern(pkg, layer.folders) },
    to: {
      path: folderPattern(
        pkg,
        layers.slice(index + 1).flatMap((above) => above.folders),
      ),
    },
  }));
}

/** A package imports no package above it, by name or by path. */
const packageRules = PACKAGES.slice(0, -1).map((pkg, index) => {
  const above = PACKAGES.slice(index + 1);
  return {
    name: `${pkg} imports no package above it`,
    comment: `@emr-eks-gitops/${pkg} sits under ${above.join(', ')}`,
    severity: 'error',
    from: { path: `^packages/${pkg}/` },
    to: { path: `^(packages|node_modules/@emr-eks-gitops)/(${above.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no circle of files',
      comment: 'files that import each other in a loop cannot be read, tested or layered one at a time',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'no circle of folders',
      comment:
        'folders whose files import each other both ways are one concern in two places: move the shared part down',
      severity: 'error',
      scope: 'folder',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    ...downwardOnly('core', CORE_LAYERS),
    ...downwardOnly('charts', CHARTS_LAYERS),
    {
      name: 'cli: only main.ts imports the commands',
      comment: 'packages/cli/src: commands/ is the top (one file per command); what commands share lies below it',
      severity: 'error',
      from: { path: '^packages/cli/src/', pathNot: '^packages/cli/src/(commands/|main[.]ts$)' },
      to: { path: '^packages/cli/src/commands/' },
    },
    ...packageRules,
  ],
  options: {
    // Type-only imports tie layers too: a type from above is knowledge of what lies above.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // A package imported by name resolves to its built dist/ (through the workspace's node_modules link): recorded, so
    // the package rules see it, but not followed, so built code is not cruised as if it were a layer.
    doNotFollow: { path: ['node_modules', '^packages/[^/]+/dist/'] },
    exclude: { path: '(^|/)test/' },
    moduleSystems: ['es6'],
  },
};
