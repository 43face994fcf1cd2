import { Command } from 'commander';
import { buildReport, checkReportOut, writeReport } from '@gitops/report';
import { repoRoot, secretFileProblems, secretProblemsError } from '@gitops/pipeline';
import { printJson, progress } from '../output';

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a static HTML site of what runs where: platforms × environments, components × environments, dependency and network-flow graphs')
    .argument('[platforms...]', 'platforms (default: all)')
    .option('--out <dir>', 'output folder (replaced whole)', 'dist/report')
    .option('--base <ref>', 'also show what changed in the rendered overlays since this git ref')
    .option('--json', 'print the report model as JSON instead of writing the site')
    .action(async (names: string[], opts: { out: string; base?: string; json?: boolean }) => {
      if (!opts.json) checkReportOut(opts.out); // a bad --out fails before the work, not after it
      const report = await buildReport({ root: repoRoot(), platforms: names, base: opts.base, onProgress: progress });
      if (opts.json) printJson(report.models);
      else {
        const files = writeReport(opts.out, report.files);
        progress(`report: ${files.length} pages in ${opts.out}`);
        process.stdout.write(`${files[0]}\n`);
      }
      // As `gitops diff`: the report is written, then a SOPS file that is not sound fails the run.
      const problems = secretFileProblems(report.models.flatMap((m) => m.changes ?? []));
      if (problems.length) throw secretProblemsError(problems);
    });
}
