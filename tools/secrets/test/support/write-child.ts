/**
 * Child process for the crash-safety and lock tests: runs ONE rewriting operation on a file, so
 * the test can kill it at a named step (GITOPS_TEST_CRASH_AT) or pause it (GITOPS_TEST_PAUSE_AT).
 * Usage: tsx write-child.ts (or node on its bundle) <op> <file> [args…]; identities come from SOPS_AGE_KEY_FILE.
 */
import { createFileExclusive, editFile, encryptFile, rotate, setValue, updateKeys } from '../../src';

const [op, file, ...args] = process.argv.slice(2);
const run: Record<string, () => Promise<unknown>> = {
  set: () => setValue(file, ['stringData', args[0]], args[1], { config: false }),
  rotate: () => rotate(file, { config: false }),
  updatekeys: () => updateKeys(file, args, { config: false }),
  edit: () => editFile(file, (plain) => plain.replace(/edited: .*/, `edited: ${args[0]}`), { config: false }),
  encrypt: () => encryptFile(file, { recipients: args, inPlace: true, config: false }),
  create: async () => createFileExclusive(file, args[0]),
};
run[op]().then(
  () => process.stdout.write('done\n'),
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 1;
  },
);
