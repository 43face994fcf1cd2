/**
 * `nx g @gitops/nx-plugin:platform <name>`: scaffolds libs/platforms/<name> with a working
 * component, releases file, test and README. The local plugin infers its targets, `gitops generate`
 * discovers it, and Argo CD generation picks it up: nothing else to register.
 */
import { generateFiles, names, type Tree } from '@nx/devkit';
import { join } from 'node:path';

export interface PlatformGeneratorSchema {
  name: string;
  image?: string;
  port?: number;
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export default async function platformGenerator(tree: Tree, schema: PlatformGeneratorSchema): Promise<void> {
  const name = schema.name;
  if (!DNS1123.test(name) || name.length > 40) {
    throw new Error(`platform name "${name}" must be a DNS-1123 label of at most 40 characters (a-z, 0-9, -)`);
  }
  const root = `libs/platforms/${name}`;
  if (tree.exists(root)) throw new Error(`${root} already exists`);
  generateFiles(tree, join(__dirname, 'files'), root, {
    ...names(name),
    name,
    image: schema.image ?? 'nginxinc/nginx-unprivileged',
    port: schema.port ?? 8080,
    tmpl: '',
  });
}
