/**
 * The light command registry: what `gitops --help` lists, without importing any command's code.
 * `gitops <cmd> …` imports only that command's module (its loader), so a process loads the code of
 * one command, and `--help`/`--version` load none. apps/gitops/test/build.test.ts checks that each entry's
 * name, usage and description are the ones the command itself declares.
 */
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  /** What follows the name in the top-level command list, e.g. `[options] [platforms...]`. */
  usage: string;
  description: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'generate',
    usage: '[options] [platforms...]',
    description: 'Compile platform specs and write environments/base/<p> and environments/<env>/<p> (never secrets/); with no names also argocd/, and remove the generated files of platforms that no longer exist',
    load: async () => (await import('./commands/generate')).generateCommand(),
  },
  {
    name: 'render',
    usage: '[options] <platform>',
    description: 'Render a platform overlay with the real kustomize (YAML to stdout)',
    load: async () => (await import('./commands/render')).renderCommand(),
  },
  {
    name: 'validate',
    usage: '[options] [platforms...]',
    description: 'Render every overlay and check it: strict schemas, references between objects, policy per environment',
    load: async () => (await import('./commands/validate')).validateCommand(),
  },
  {
    name: 'all',
    usage: '[options] [platforms...]',
    description: 'The main job: generate every platform, render every overlay and validate the result',
    load: async () => (await import('./commands/all')).allCommand(),
  },
  {
    name: 'bench',
    usage: '[options]',
    description: 'Print each row of the performance table as a ratio against its reference, measured in one run',
    load: async () => (await import('./commands/bench')).benchCommand(),
  },
  {
    name: 'diff',
    usage: '[options] [platforms...]',
    description: 'Show how rendered manifests and SOPS secret files (key names only, no values) change against a git ref (default origin/main), per overlay, as Markdown',
    load: async () => (await import('./commands/diff')).diffCommand(),
  },
  {
    name: 'promote',
    usage: '[options] <platform>',
    description: "Copy release tags or digests from one environment to the next in a platform's releases.yaml, regenerate, print the rendered diff of the target",
    load: async () => (await import('./commands/promote')).promoteCommand(),
  },
  {
    name: 'report',
    usage: '[options] [platforms...]',
    description:
      'Write a static HTML site of what runs where: platforms × environments, components × environments, dependency and network-flow graphs',
    load: async () => (await import('./commands/report')).reportCommand(),
  },
  {
    name: 'import',
    usage: '',
    description: 'Create a platform library from another format',
    load: async () => (await import('./commands/import')).importCommand(),
  },
  {
    name: 'cluster',
    usage: '',
    description: 'A local control plane (etcd + kube-apiserver on 127.0.0.1) to apply the environments to',
    load: async () => (await import('./commands/cluster')).clusterCommand(),
  },
  {
    name: 'apply',
    usage: '[options] [platform...]',
    description:
      'Apply an environment like Argo CD would (CRDs, Namespaces, every overlay; server-side apply) to a cluster; exit 1 on any rejection or overlay that does not render',
    load: async () => (await import('./commands/apply')).applyCommand(),
  },
  {
    // A group: one file per subcommand group under commands/secrets/, assembled by its index.
    name: 'secrets',
    usage: '',
    description: 'SOPS/age secrets of every platform and environment: create, edit, check, scan, re-key',
    load: async () => (await import('./commands/secrets/index')).command(),
  },
  {
    name: 'argocd',
    usage: '',
    description: 'Argo CD helpers (the objects themselves are written by `gitops generate`)',
    load: async () => (await import('./commands/argocd')).command(),
  },
];

/**
 * The command names `args` (argv without node and script) runs: the first word that is not an
 * option, or the word after `help`. Empty for `--help`, `--version`, no arguments or an unknown word.
 */
export function commandsToLoad(args: string[]): string[] {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.some((c) => c.name === name) ? [name as string] : [];
}
