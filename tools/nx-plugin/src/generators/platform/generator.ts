/**
 * `nx g @gitops/nx-plugin:platform <name>`: scaffolds libs/platforms/<name> with a working
 * component, releases file, test and README. The local plugin infers its targets, `gitops generate`
 * discovers it, and Argo CD generation picks it up: nothing else to register.
 */
import { generateFiles, logger, names, type GeneratorCallback, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { platformNameProblem } from '@gitops/core/platform-name';

export interface PlatformGeneratorSchema {
  name: string;
  image?: string;
  port?: number;
}

/**
 * The one command after scaffolding (the README's main job): `npm install` adds the new workspace to
 * package-lock.json, `gitops all` writes environments/<env>/<name> and argocd/ and validates them.
 */
export const NEXT_COMMAND = 'npm install && npx gitops all';

export function nextSteps(name: string): string[] {
  const root = `libs/platforms/${name}`;
  return [
    `Platform "${name}" scaffolded in ${root}. Next:`,
    `  ${NEXT_COMMAND}        # lockfile + environments/*/${name} + argocd/, rendered and validated`,
    `  npx vitest run ${root}                 # its own test`,
    `  git add ${root} environments argocd package-lock.json && git commit -m "platform ${name}"`,
    `Declared secrets (\`secrets:\` in src/index.ts) also need: npx gitops secrets init --env <dev|staging|prod> ${name}`,
  ];
}

/** The first component's image when `--image` is not given. */
const DEFAULT_IMAGE = 'nginxinc/nginx-unprivileged';

/**
 * The tag every environment starts on: a full semantic version, which prod's policy asks for
 * (`release-immutable`); plain `1.27.3` rather than `1.27.3-alpine`, which semver orders as a
 * prerelease below `1.27.3`. A custom image gets a placeholder version the comment says to replace.
 */
function initialTag(image: string): { tag: string; placeholder: boolean } {
  return image === DEFAULT_IMAGE ? { tag: '1.27.3', placeholder: false } : { tag: '0.1.0', placeholder: true };
}

export default async function platformGenerator(tree: Tree, schema: PlatformGeneratorSchema): Promise<GeneratorCallback> {
  const name = schema.name;
  const problem = platformNameProblem(name);
  if (problem) throw new Error(problem);
  const root = `libs/platforms/${name}`;
  if (tree.exists(root)) throw new Error(`${root} already exists`);
  const image = schema.image ?? DEFAULT_IMAGE;
  generateFiles(tree, join(__dirname, 'files'), root, {
    ...names(name),
    name,
    image,
    ...initialTag(image),
    port: schema.port ?? 8080,
    tmpl: '',
  });
  return () => {
    for (const line of nextSteps(name)) logger.info(line);
  };
}
