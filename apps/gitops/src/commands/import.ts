import { Command } from 'commander';
import { checkTarget, planImport, reportText, writeImport } from '@gitops/compose-import';
import { repoRoot } from '@gitops/pipeline';
import { collect, findingsError, usageError } from '../args';
import { printJson, progress } from '../output';
import { runGenerate } from './generate';
import { errorCount } from '@gitops/pipeline';
import { runValidate } from './validate';

interface ComposeOpts {
  platform: string;
  envFile?: string[];
  profile?: string[];
  image?: string[];
  devNodePorts?: boolean;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

/** Repeatable options (`--profile a --profile b`) that never swallow the compose file arguments. */

function imageOverrides(list: string[] = []): Record<string, string> {
  return Object.fromEntries(
    list.map((s) => {
      const eq = s.indexOf('=');
      if (eq <= 0 || eq === s.length - 1) throw usageError(`--image ${s}: expected <service>=<repository>:<tag>`);
      return [s.slice(0, eq), s.slice(eq + 1)];
    }),
  );
}

export function importCommand(): Command {
  const compose = new Command('compose')
    .description('Create a platform library from Docker Compose files: typed components, releases.yaml, SOPS-encrypted secrets; then generate and validate it')
    .argument('<files...>', 'compose files, merged in order (like repeated -f)')
    .requiredOption('--platform <name>', 'name of the new platform (libs/platforms/<name>)')
    .option('--env-file <file>', 'variables for interpolation and secret values; repeatable (default: .env beside the first file)', collect, [])
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
        envFiles: opts.envFile,
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
      const results = await runValidate([opts.platform]);
      const errors = errorCount(results);
      const secrets = written.secrets.map((s) => ({ file: s.file, action: s.action, placeholders: s.placeholders, error: s.error }));
      if (opts.json) printJson({ platform: opts.platform, files: written.written, secrets, notes, validation: results.map((r) => ({ env: r.env, findings: r.findings })) });
      else {
        process.stdout.write(`imported ${opts.platform}: ${written.written.length} library files, ${secrets.filter((s) => s.action === 'created').length} secret files\n`);
        process.stdout.write((await import('@gitops/validate')).formatReport(results));
      }
      const failed = secrets.filter((s) => s.error);
      if (failed.length) throw findingsError(`secrets not written: ${failed.map((f) => f.error).join('; ')}`);
      if (errors) throw findingsError(`the imported platform has ${errors} validation error${errors === 1 ? '' : 's'} (see the report; pin images with --image)`);
    });
  return new Command('import').description('Create a platform library from another format').addCommand(compose);
}
