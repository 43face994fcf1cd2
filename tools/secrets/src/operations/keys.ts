/**
 * Key management: `sops rotate` (new data key, every value re-encrypted) and
 * `sops updatekeys` (same data key re-wrapped for a new recipient set; values,
 * MAC, lastmodified and version untouched).
 */
import { SopsError } from '../errors';
import { sealDocument } from '../document';
import { newDataKey, recoverDataKey, wrapDataKeyForGroups } from '../data-key';
import { hasNonAgeKeys } from '../metadata';
import { matchCreationRule, ruleKeyGroups } from '../sops-config';
import { storeFor } from '../stores';
import { fileContext, inFile, lockedFile, openFile, readInput, writeOutput, type FileOptions } from './context';

const uniq = (l: string[]) => [...new Set(l.map((r) => r.trim()).filter(Boolean))];

export interface RotateOptions extends FileOptions {
  addRecipients?: string[];
  removeRecipients?: string[];
  now?: Date;
}

/** New data key for the file; values re-encrypted (IVs reused, key changed), new MAC and lastmodified. */
export async function rotate(file: string, opts: RotateOptions = {}): Promise<{ recipients: string[] }> {
  return lockedFile(file, opts, () => rotateLocked(file, opts));
}

async function rotateLocked(file: string, opts: RotateOptions): Promise<{ recipients: string[] }> {
  const doc = await openFile(file, opts);
  return inFile(file, async () => {
    if (hasNonAgeKeys(doc.metadata)) {
      throw new SopsError('UNSUPPORTED', 'the file has non-age master keys (pgp/kms/...) that cannot be re-wrapped here; rotate with the sops CLI');
    }
    const remove = new Set(uniq(opts.removeRecipients ?? []));
    const groups = doc.metadata.keyGroups.map((g, i) => {
      let age = g.age.map((k) => k.recipient);
      if (i === 0) age = uniq([...age, ...(opts.addRecipients ?? [])]);
      return { age: age.filter((r) => !remove.has(r)) };
    });
    if (groups.some((g) => !g.age.length)) throw new SopsError('CONFIG', 'rotation would leave a key group without recipients');
    const dataKey = newDataKey();
    const wrapped = await wrapDataKeyForGroups(dataKey, groups, doc.metadata.shamirThreshold);
    doc.dataKey = dataKey;
    doc.metadata = { ...doc.metadata, keyGroups: wrapped.keyGroups, shamirThreshold: wrapped.shamirThreshold };
    writeOutput(file, sealDocument(doc, { now: opts.now }));
    return { recipients: groups.flatMap((g) => g.age) };
  });
}

export interface UpdateKeysResult {
  added: string[];
  removed: string[];
  changed: boolean;
}

/**
 * Re-wrap the data key for `recipients` (one key group), or for the key groups of the
 * file's `.sops.yaml` creation rule when `recipients` is undefined. Non-age keys already
 * in the file are kept. With `dryRun` only the diff is reported.
 */
export async function updateKeys(
  file: string,
  recipients: string[] | undefined,
  opts: FileOptions & { dryRun?: boolean } = {},
): Promise<UpdateKeysResult> {
  if (opts.dryRun) return updateKeysUnlocked(file, recipients, opts);
  return lockedFile(file, opts, () => updateKeysUnlocked(file, recipients, opts));
}

async function updateKeysUnlocked(file: string, recipients: string[] | undefined, opts: FileOptions & { dryRun?: boolean }): Promise<UpdateKeysResult> {
  return inFile(file, async () => {
    const ctx = fileContext(file, opts);
    let target: string[][];
    let threshold: number | undefined;
    if (recipients) target = [uniq(recipients)];
    else {
      if (!ctx.config) throw new SopsError('CONFIG', 'no recipients given and no .sops.yaml found');
      const rule = matchCreationRule(ctx.config.config, file, ctx.config.path);
      target = ruleKeyGroups(rule).map(uniq);
      threshold = rule.shamirThreshold;
    }
    if (!target.length || target.some((g) => !g.length)) throw new SopsError('CONFIG', 'every key group needs at least one age recipient');

    const store = storeFor(ctx.format, ctx.storeOptions);
    const { branches, metadata } = store.loadEncrypted(readInput(file));
    const current = metadata.keyGroups.map((g) => g.age.map((k) => k.recipient));
    const flatCur = new Set(current.flat());
    const flatNew = new Set(target.flat());
    const added = [...flatNew].filter((r) => !flatCur.has(r));
    const removed = [...flatCur].filter((r) => !flatNew.has(r));
    const sameGroups =
      current.length === target.length &&
      current.every((g, i) => g.length === target[i].length && g.every((r) => target[i].includes(r)));
    if (sameGroups) return { added: [], removed: [], changed: false };
    if (opts.dryRun) return { added, removed, changed: true };

    const dataKey = await recoverDataKey(metadata, opts);
    let shamir = threshold ?? metadata.shamirThreshold;
    if (target.length > 1) shamir = Math.min(shamir || target.length, target.length);
    const wrapped = await wrapDataKeyForGroups(
      dataKey,
      target.map((age, i) => ({ age, other: metadata.keyGroups[i]?.other })),
      target.length > 1 ? shamir : metadata.shamirThreshold,
    );
    const md = { ...metadata, keyGroups: wrapped.keyGroups, shamirThreshold: wrapped.shamirThreshold };
    writeOutput(file, store.emitEncrypted(branches, md));
    return { added, removed, changed: true };
  });
}
