import { Command } from 'commander';
import { checkTarget, planImport, reportText, writeImport } from '@gitops/compose-import';
import { errorCount, generateArgoCdOnly, repoRoot } from '@gitops/pipeline';
import { appPaths, isNestedPlatform } from '@gitops/environments';
import { collect, findingsError, usageError } from '../args';
import { initFailure } from './secrets/common';
import { printJson, progress } from '../output';
import { runGenerate } from './generate';
import { runValidate } from './validate';

interface ComposeOpts {
  platform: string;
  profile?: string[];
  image?: string[];
  devNodePorts?: boolean;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

function imageOverrides(list: string[] = []): Record<string, string> {
  return Object.fromEntries(
    list.map((s) => {
      const eq = s.indexOf('=');
      if (eq <= 0 || eq === s.length - 1) throw usageError(`--image ${s}: expected <service>=<repository>:<tag>`);
      return [s.slice(0, eq), s.slice(eq + 1)];
    }),
  );
}

/**
 * What is left after an import. `npm install` only records the new workspace package in
 * package-lock.json: the CLI and the Nx plugin find the platform by its folder and nothing imports
 * it by package name, but CI's install step fails when it changes the committed lockfile.
 */
export function nextSteps(platform: string): string[] {
  const lib = `libs/platforms/${platform}`;
  // The import writes one app named after the platform; the layout module says where its secrets go.
  const secrets = appPaths(platform, platform, isNestedPlatform(platform, [{ name: platform }]), '<env>').secrets;
  return [
    `review ${lib}/README.md (the import report: what was changed or not carried), ${lib}/src and releases.yaml (pin every image tag before prod)`,
    `keys without a value hold CHANGE-ME: npx gitops secrets set ${secrets}/<file> <key>`,
    `npm install        # adds the new workspace package to package-lock.json (CI fails on a lockfile npm install changes)`,
    `npx gitops all     # generate every platform (writes environments/ and argocd/), render and validate everything`,
    `git add ${lib} environments argocd package-lock.json && git commit -m "platform ${platform} (imported from compose)"`,
  ];
}

export function importCommand(): Command {
  // Filled by --compose-env-file and --env-file, in command-line order (later files win).
  const envFiles: string[] = [];
  const addEnvFile = (value: string): string[] => {
    envFiles.push(value);
    return envFiles;
  };
  const compose = new Command('compose')
    .description('Create a platform library from Docker Compose files: typed components, releases.yaml, SOPS-encrypted secrets; then generate and validate it')
    .argument('<files...>', 'compose files, merged in order (like repeated -f)')
    .requiredOption('--platform <name>', 'name of the new platform (libs/platforms/<name>)')
    // Node (20 up to at least 26, nodejs/node#54232) reads `--env-file <f>` anywhere on its command
    // line, even after the script name, and stops with "node: <f>: not found" (exit 9) before gitops
    // runs when the file does not exist. So the option has a second spelling Node does not claim.
    .option('--compose-env-file <file>', 'variables for interpolation and secret values; repeatable (default: .env beside the first file)', addEnvFile)
    .option('--env-file <file>', 'the same (Docker Compose\'s name); a missing file is reported by Node itself ("node: <file>: not found", exit 9), use --compose-env-file in scripts', addEnvFile)
    // Repeatable one value each (`--profile a --profile b`), so they never swallow the compose file arguments.
    .option('--profile <profile>', 'compose profile to enable; repeatable', collect, [])
    .option('--image <service=ref>', 'image to deploy for a service (build: services, unpinned images); repeatable', collect, [])
    .option('--dev-node-ports', 'publish compose host ports as NodePorts in dev')
    .option('--dry-run', 'write nothing; print the report and the files that would be written')
    .option('--force', 'replace an existing platform library (existing secret files are never overwritten)')
    .option('--json', 'print a JSON summary')
    .action(async (files: string[], opts: ComposeOpts) => {
      const root = repoRoot();
      const planned = planImport({
        files,
        platform: opts.platform,
        envFiles,
        profiles: opts.profile,
        images: imageOverrides(opts.image),
        devNodePorts: opts.devNodePorts,
      });
      checkTarget(root, opts.platform, opts.force);
      const notes = planned.plan.notes;
      const libFiles = [...planned.files.keys()].sort().map((f) => `libs/platforms/${opts.platform}/${f}`);
      if (opts.dryRun) {
        if (opts.json) printJson({ platform: opts.platform, dryRun: true, files: libFiles, secrets: planned.plan.secrets.map((s) => s.name), notes });
        else process.stdout.write(reportText(planned.plan) + libFiles.map((f) => `would write ${f}\n`).join(''));
        return;
      }
      progress(reportText(planned.plan).trimEnd());
      const written = await writeImport(root, planned, { force: opts.force, progress });
      await runGenerate([opts.platform]);
      // argocd/ is built from every platform, so the one-platform generate above leaves it alone;
      // without this step `gitops generate --check` reports the new platform's Applications as drift.
      const argo = await generateArgoCdOnly(root, (await import('@gitops/argocd')).argoCd);
      progress(`argocd/: ${argo.write.written.length} changed, ${argo.write.removed.length} removed`);
      const results = await runValidate([opts.platform]);
      const errors = errorCount(results);
      const secrets = written.secrets.map((s) => ({ file: s.file, action: s.action, placeholders: s.placeholders, error: s.error, exitCode: s.exitCode }));
      const next = nextSteps(opts.platform);
      if (opts.json) printJson({ platform: opts.platform, files: written.written, secrets, notes, validation: results.map((r) => ({ env: r.env, findings: r.findings })), nextSteps: next });
      else {
        process.stdout.write(`imported ${opts.platform}: ${written.written.length} library files, ${secrets.filter((s) => s.action === 'created').length} secret files\n`);
        process.stdout.write((await import('@gitops/validate')).formatReport(results));
        process.stdout.write(`Next:\n${next.map((l) => `  ${l}\n`).join('')}`);
      }
      const failed = secrets.filter((s) => s.error);
      if (failed.length) throw initFailure(`secrets not written: ${failed.map((f) => f.error).join('; ')}`, failed);
      if (errors) throw findingsError(`the imported platform has ${errors} validation error${errors === 1 ? '' : 's'} (see the report; pin images with --image)`);
    });
  return new Command('import').description('Create a platform library from another format').addCommand(compose);
}
