/**
 * `sops edit FILE` with a function as the editor. The same data key and the IV
 * stash are used, so values the editor did not touch keep their exact ciphertext
 * and a diff shows only real changes. Like sops, `version` is bumped on edit.
 */
import { SopsError } from '../errors';
import { sealDocument } from '../document';
import { SOPS_VERSION } from '../metadata';
import { Comment } from '../tree';
import { inFile, lockedFile, openFile, writeOutput, type FileOptions } from './context';

export type Editor = (plaintext: string) => string | Promise<string>;

export async function editFile(file: string, editor: Editor, opts: FileOptions & { now?: Date } = {}): Promise<{ changed: boolean }> {
  // The lock is held while the editor runs: a concurrent `set` waits instead of being overwritten.
  return lockedFile(file, opts, () => editLocked(file, editor, opts));
}

async function editLocked(file: string, editor: Editor, opts: FileOptions & { now?: Date }): Promise<{ changed: boolean }> {
  const doc = await openFile(file, opts);
  const before = doc.store.emitPlain(doc.branches).toString('utf8');
  const after = await editor(before);
  if (after === before) return { changed: false }; // "File has not changed, exiting."
  return inFile(file, () => {
    const branches = doc.store.loadPlain(Buffer.from(after, 'utf8'));
    for (const b of branches) {
      const reserved = doc.store.format === 'dotenv'
        ? b.items.some((i) => !(i instanceof Comment) && i.key.startsWith('sops_'))
        : b.has('sops');
      if (reserved) throw new SopsError('ALREADY_ENCRYPTED', 'the edited document contains a top-level "sops" key, which is reserved');
    }
    doc.branches = branches;
    writeOutput(file, sealDocument(doc, { now: opts.now, version: SOPS_VERSION }));
    return { changed: true };
  });
}
