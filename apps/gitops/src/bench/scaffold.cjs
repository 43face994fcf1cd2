// Scaffolds synthetic platforms with the repository's own Nx generator (tools/nx-plugin, `nx g
// @gitops/nx-plugin:platform`), all in one process: one Tree, written once. Used by the bench's scale
// run in a throwaway copy. Arguments: <repository root> <count> <name prefix>. Run with
// `node --require tsx/cjs` (the generator is TypeScript, CommonJS like the plugin).
const { join } = require('node:path');
const { FsTree, flushChanges } = require('nx/src/generators/tree');

const [root, count, prefix] = process.argv.slice(2);
const generator = require(join(root, 'tools/nx-plugin/src/generators/platform/generator.ts')).default;

(async () => {
  const tree = new FsTree(root, false);
  for (let i = 1; i <= Number(count); i++) await generator(tree, { name: `${prefix}${String(i).padStart(3, '0')}` });
  flushChanges(root, tree.listChanges());
})().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
