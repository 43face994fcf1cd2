/**
 * `gitops secrets edit`: the decrypted file in a person's editor, and nowhere else for longer than
 * needed. The plaintext copy lives in a 0700 folder (file 0600) in a RAM-backed place when there
 * is one (/dev/shm, else $XDG_RUNTIME_DIR, else the system temp folder), and is removed when the
 * editor exits, on any error, and on SIGINT, SIGTERM and SIGHUP (the editor is stopped with the
 * same signal, then the process ends by that signal).
 *
 * SIGKILL cannot be caught: it leaves the folder `gitops-edit-<pid>-*` behind (in RAM when
 * /dev/shm exists, so gone at reboot at the latest); the next `secrets edit` removes such folders
 * whose process no longer runs. The file lock is taken over the same way (safe-write).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadYamlDocuments } from '@gitops/yaml-read';
import { editFile, processAlive, type FileOptions } from '@gitops/secrets';
import { isObj, type Obj } from './repo-files';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const DIR_PREFIX = 'gitops-edit-';

/** Where the plaintext copy goes: a RAM-backed folder when one is writable, else the temp folder. */
export function editTempRoot(env: NodeJS.ProcessEnv = process.env): { dir: string; ramBacked: boolean } {
  for (const dir of ['/dev/shm', env.XDG_RUNTIME_DIR]) {
    if (!dir) continue;
    try {
      if (!statSync(dir).isDirectory()) continue;
      accessSync(dir, constants.W_OK | constants.X_OK);
      return { dir, ramBacked: true };
    } catch {
      /* not usable */
    }
  }
  return { dir: tmpdir(), ramBacked: false };
}


/**
 * Remove plaintext folders left by edits whose process was SIGKILLed. Runs before this process
 * makes its own folder, so one naming our own pid is stale too (pid 1 in every container run).
 */
export function removeStaleEditDirs(root: string): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(n);
    if (m && (Number(m[1]) === process.pid || !processAlive(Number(m[1])))) {
      rmSync(join(root, n), { recursive: true, force: true });
      removed.push(join(root, n));
    }
  }
  return removed;
}

/** The editor exited non-zero or by a signal: a failure (exit 1); the file is unchanged. */
export class EditorFailed extends Error {}

/** The edited text is not something to save (a Secret lost its values): bad input (exit 2); the file is unchanged. */
export class EditRefused extends Error {}

/** A Secret holds a value: a key in `data` or `stringData` (an empty mapping, `stringData: {}`, holds none). */
const hasValues = (o: Obj) => [o.data, o.stringData].some((m) => isObj(m) && Object.keys(m).length > 0);

/**
 * Refuse an edit that leaves no key in `data` and `stringData` of a Secret that had one (the
 * fields removed, or emptied to `{}`): every value would be gone. (Emptied documents and ones the
 * format cannot hold are refused by `editFile`.)
 * Text that does not parse is left to `editFile`, which names the parse error.
 */
export function checkEditedSecrets(file: string, before: string, after: string): void {
  if (!/\.ya?ml$/.test(file)) return;
  let docs: unknown[];
  try {
    docs = loadYamlDocuments(after, file);
  } catch {
    return;
  }
  if (!loadYamlDocuments(before, file).some((d) => isObj(d) && d.kind === 'Secret' && hasValues(d))) return;
  for (const d of docs) {
    if (isObj(d) && d.kind === 'Secret' && !hasValues(d)) {
      throw new EditRefused(`${file}: the edited Secret has no key left in data or stringData (every value would be removed); nothing changed`);
    }
  }
}

/**
 * Open `file` decrypted in `editor` (a shell command line, like $EDITOR); save what the person
 * wrote (unchanged values keep their ciphertext). The file stays locked while the editor runs.
 */
export async function editInEditor(file: string, editor: string, opts: FileOptions = {}): Promise<{ changed: boolean }> {
  const where = editTempRoot();
  removeStaleEditDirs(where.dir);
  return editFile(
    file,
    async (plain) => {
      const dir = mkdtempSync(join(where.dir, `${DIR_PREFIX}${process.pid}-`));
      const tmp = join(dir, basename(file).replace(/\.enc(\.ya?ml|\.json|\.env)$/, '$1'));
      const cleanup = () => rmSync(dir, { recursive: true, force: true });
      let child: ReturnType<typeof spawn> | undefined;
      const onSignal = (sig: NodeJS.Signals) => {
        cleanup();
        child?.kill(sig);
        for (const s of SIGNALS) process.removeListener(s, onSignal);
        process.kill(process.pid, sig); // end by the same signal, as the default handler would
      };
      for (const s of SIGNALS) process.on(s, onSignal);
      try {
        writeFileSync(tmp, plain, { mode: 0o600 });
        const res = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
          child = spawn('sh', ['-c', `${editor} "$1"`, 'gitops-edit', tmp], { stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', (code, signal) => resolve({ code, signal }));
        });
        if (res.code !== 0) throw new EditorFailed(`${file}: editor "${editor}" exited with ${res.code ?? res.signal}; nothing changed`);
        const edited = readFileSync(tmp, 'utf8');
        checkEditedSecrets(file, plain, edited);
        return edited;
      } finally {
        cleanup();
        for (const s of SIGNALS) process.removeListener(s, onSignal);
      }
    },
    opts,
  );
}
