import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Help, Option } from 'commander';
// Only light modules here: `gitops --help` loads this file and commander, nothing else (registry.ts).
import { SpecError, UserError } from '@gitops/core/errors';
import { mappedStack, stackPositions } from '@gitops/core/source-frames';
import { EXIT, jsonOutput } from './exit';
import { COMMANDS, commandsToLoad } from './registry';

const VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;

/** Exit codes (see EXIT in exit.ts): 0 ok, 1 findings/failure, 2 usage or bad input, for every command. */
export async function main(argv: string[]): Promise<number> {
  ignoreBrokenPipe();
  jsonOutput.printed = false;
  const program = await buildProgram(commandsToLoad(argv.slice(2)));
  const help = helpRequest(program, argv.slice(2));
  if (help) return help();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    const code = reportError(err);
    // `--json`/`-o json` asked for a document on stdout: a run that fails before printing one prints
    // the error as one (the message is also on stderr for a person), so `| jq` never reads nothing.
    if (code !== EXIT.ok && wantsJson(argv.slice(2)) && !jsonOutput.printed) {
      process.stdout.write(`${JSON.stringify({ error: { message: errorMessage(err), exitCode: code } }, null, 2)}\n`);
    }
    return code;
  }
}

/**
 * `gitops help a b` and `gitops a help b`: the help of `a b`, or exit 2 naming the word that is no
 * command. Commander's own help command reads only its first word (`help secrets set` showed the
 * `secrets` help) and answers an unknown one with the whole usage and no error line. Undefined when
 * the arguments ask for no help (a `help` word after a command without subcommands is its argument).
 */
function helpRequest(program: Command, args: string[]): (() => number) | undefined {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  const at = words.indexOf('help');
  if (at < 0) return undefined;
  const find = (cmd: Command, name: string) => cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
  let cmd = program;
  for (const w of words.slice(0, at)) {
    const sub = find(cmd, w);
    if (!sub) return undefined; // commander reports the unknown command
    cmd = sub;
  }
  if (!cmd.commands.length) return undefined;
  for (const w of words.slice(at + 1)) {
    const sub = find(cmd, w);
    if (!sub) {
      const known = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
      return () => {
        process.stderr.write(`error: unknown command '${w}' (${fullName(cmd)} commands: ${known.join(', ')})\n(run \`${fullName(cmd)} --help\` for usage)\n`);
        return EXIT.usage;
      };
    }
    cmd = sub;
  }
  return () => {
    cmd.outputHelp();
    return EXIT.ok;
  };
}

/** JSON and only JSON asked for among the arguments (before a `--`): `--json`, `-o json`, `--output=json`…, and no `-o text`/`yaml` contradicting it. */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  const a = end < 0 ? args : args.slice(0, end);
  const formats = a.flatMap((x, i) => {
    if (x === '--json') return ['json'];
    const m = /^(?:-o|--output=)(.+)$/.exec(x);
    if (m && x !== '-o') return [m[1].replace(/^=/, '')];
    return (x === '-o' || x === '--output') && a[i + 1] !== undefined ? [a[i + 1]] : [];
  });
  return formats.length > 0 && formats.every((f) => f === 'json');
}

/** The message reportError printed, without the `error: ` prefix or the usage hint. */
function errorMessage(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(/^error: /, '');
}

/**
 * The command tree, configured alike (exit codes, `-o json`); `main` runs it, the README test reads it.
 * `load` names the commands whose code is imported (default: all); the others are light entries
 * from the registry that only appear in `gitops --help`.
 */
export async function buildProgram(load: readonly string[] = COMMANDS.map((c) => c.name)): Promise<Command> {
  const program = new Command('gitops')
    .description('Generate, render and validate the Kustomize trees and Argo CD apps of every platform')
    .version(VERSION, '-V, --version', 'print the version');
  const usage = new Map<Command, string>();
  for (const entry of COMMANDS) {
    if (load.includes(entry.name)) {
      program.addCommand(await entry.load());
    } else {
      const stub = new Command(entry.name).description(entry.description);
      usage.set(stub, entry.usage);
      program.addCommand(stub);
    }
  }
  if (usage.size) {
    program.configureHelp({
      subcommandTerm: (cmd) => (usage.has(cmd) ? `${cmd.name()} ${usage.get(cmd)}`.trim() : new Help().subcommandTerm(cmd)),
    });
  }
  configureTree(program);
  // `-o json` (kubectl, argocd) is `--json`, for every command that has --json; `--json -o text`
  // (or `-o yaml`) asks for both, so it is refused rather than one silently winning.
  program.hook('preAction', (_, action) => {
    if (!FORMAT_OPTION.has(action)) return;
    const { output, json } = action.opts();
    if (output && output !== 'json' && json) throw new UserError(`--json and -o ${output} contradict each other: pass one of them`, EXIT.usage);
    if (output === 'json') action.setOptionValue('json', true);
  });
  return program;
}

/**
 * Applied to every command and subcommand (addCommand copies no settings): commander's own errors
 * (unknown option, missing argument or required option, invalid choice) are thrown, not exited on,
 * so `reportError` maps them to exit 2; commands with --json also take `-o, --output json`.
 */
function configureTree(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError(`(run \`${fullName(cmd)} --help\` for usage)`);
  if (cmd.options.some((o) => o.long === '--json') && !cmd.options.some((o) => o.short === '-o')) {
    // Only formats the command prints: `yaml` only where the text output is YAML.
    const yaml = YAML_TEXT.has(fullName(cmd));
    const help = yaml ? 'output format: json (same as --json), or yaml = text (the default, YAML)' : 'output format: json (same as --json) or text';
    cmd.addOption(new Option('-o, --output <format>', help).choices(yaml ? ['json', 'yaml', 'text'] : ['json', 'text']));
    FORMAT_OPTION.add(cmd);
  }
  cmd.commands.forEach(configureTree);
}

/** Commands whose `-o` is the output format (`secrets keygen -o` is a file). */
const FORMAT_OPTION = new WeakSet<Command>();
/** Commands whose text output is YAML: they also take `-o yaml` (kubectl's word), the same as text. */
const YAML_TEXT = new Set(['gitops render']);

const fullName = (cmd: Command): string => (cmd.parent ? `${fullName(cmd.parent)} ${cmd.name()}` : cmd.name());

/** Prints the error (never a stack unless GITOPS_DEBUG is set) and returns the exit code. */
function reportError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed it
  if (err instanceof SpecError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof UserError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  const repositoryFailure = repositoryFailureExit(err);
  if (repositoryFailure !== undefined) {
    // Caused by a file in the repository, and its message names it: our own source line would mislead.
    process.stderr.write(`error: ${(err as Error).message}\n`);
    if (process.env.GITOPS_DEBUG) process.stderr.write(`${mappedStack(String((err as Error)?.stack))}\n`);
    return repositoryFailure;
  }
  const at = sourceLocation(err);
  process.stderr.write(`error: ${at ? `${at}: ` : ''}${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.GITOPS_DEBUG) process.stderr.write(`${mappedStack(String((err as Error)?.stack))}\n`);
  return EXIT.findings;
}

/**
 * The exit code of a SOPS file that does not open (SopsError) or an overlay kustomize refuses
 * (KustomizeBuildError) wherever a command meets one, printed as its message, not as an unexpected
 * error: a SopsError's `exitCode` comes from the SOPS library's one table (SOPS_ERROR_CLASSES: a
 * missing or non-SOPS file 2, a MAC mismatch 1), kustomize's is 1; undefined for anything else.
 * Recognised by name and read as properties, so `--help` loads neither library.
 */
function repositoryFailureExit(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'KustomizeBuildError') return EXIT.findings;
  if (err.name !== 'SopsError') return undefined;
  return (err as { exitCode?: unknown }).exitCode === EXIT.usage ? EXIT.usage : EXIT.findings;
}

/** file:line:column of the innermost stack frame in our own code (not node_modules, not Node's). */
export function sourceLocation(err: unknown): string | undefined {
  // Frames of the prebuilt bundle are mapped to their TypeScript on this (error) path only.
  const at = stackPositions(String((err as Error)?.stack ?? '')).find((p) => !p.file.includes('/node_modules/'));
  if (!at) return undefined;
  const rel = relative(process.cwd(), at.file);
  return `${rel.startsWith('..') ? at.file : rel}:${at.line}:${at.column}`;
}

/** `gitops … | head`: the reader went away; stop writing quietly instead of a stack trace. */
let pipeGuarded = false;
function ignoreBrokenPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    });
  }
}
