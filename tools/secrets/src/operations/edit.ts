/**
 * `sops edit FILE` with a function as the editor. The same data key and the IV
 * stash are used, so values the editor did not touch keep their exact ciphertext
 * and a diff shows only real changes. Like sops, `version` is bumped on edit.
 *
 * Like sops, an empty result is refused: a document with no entries (an emptied buffer, only
 * whitespace or comments, `{}`) would replace every value, so the file is left as it was. A
 * result the format cannot hold (a YAML scalar or list at the top) is refused too. Errors the
 * editor function throws reach the caller as they are: they are the caller's (e.g. "the editor
 * exited with 3"), not a problem of the file.
 */
import { SopsError } from '../errors';
import { sealDocument } from '../document';
import { SOPS_VERSION } from '../metadata';
import { Comment, type TreeBranch } from '../tree';
import { inFile, lockedFile, openFile, writeOutput, type FileOptions } from './context';

export type Editor = (plaintext: string) => string | Promise<string>;

/** Holds what the editor function threw, so it can pass the file-naming wrappers unchanged. */
class FromEditor {
  constructor(readonly error: unknown) {}
}

export async function editFile(file: string, editor: Editor, opts: FileOptions & { now?: Date } = {}): Promise<{ changed: boolean }> {
  let thrown: FromEditor | undefined;
  const guarded: Editor = async (plain) => {
    try {
      return await editor(plain);
    } catch (e) {
      thrown = new FromEditor(e);
      throw e;
    }
  };
  try {
    // The lock is held while the editor runs: a concurrent `set` waits instead of being overwritten.
    return await lockedFile(file, opts, () => editLocked(file, guarded, opts));
  } catch (e) {
    throw thrown ? thrown.error : e;
  }
}

/** No document has an entry: only whitespace, comments or empty mappings are left. */
function isEmptyDocument(branches: TreeBranch[]): boolean {
  return branches.every((b) => b.items.every((i) => i instanceof Comment));
}

async function editLocked(file: string, editor: Editor, opts: FileOptions & { now?: Date }): Promise<{ changed: boolean }> {
  const doc = await openFile(file, opts);
  const before = doc.store.emitPlain(doc.branches).toString('utf8');
  const after = await editor(before);
  if (after === before) return { changed: false }; // "File has not changed, exiting."
  return inFile(file, () => {
    let branches: TreeBranch[];
    try {
      branches = doc.store.loadPlain(Buffer.from(after, 'utf8'));
    } catch (e) {
      throw new SopsError('INVALID_FORMAT', `the edited document cannot be read (${e instanceof Error ? e.message : String(e)}); nothing changed`);
    }
    if (isEmptyDocument(branches)) throw new SopsError('INVALID_FORMAT', 'the edited document is empty; nothing changed (delete the file to remove it)');
    for (const b of branches) {
      const reserved = doc.store.format === 'dotenv'
        ? b.items.some((i) => !(i instanceof Comment) && i.key.startsWith('sops_'))
        : b.has('sops');
      if (reserved) throw new SopsError('ALREADY_ENCRYPTED', 'the edited document contains a top-level "sops" key, which is reserved; nothing changed');
    }
    doc.branches = branches;
    writeOutput(file, sealDocument(doc, { now: opts.now, version: SOPS_VERSION }));
    return { changed: true };
  });
}
