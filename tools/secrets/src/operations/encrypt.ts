/**
 * `sops encrypt FILE`: keys and rule from the options, else from the matching
 * `.sops.yaml` creation rule (explicit recipients replace the config's keys entirely).
 */
import { encryptBranchesToFile, type EncryptOptions } from '../document';
import { matchCreationRule, ruleKeyGroups } from '../sops-config';
import { ruleFromOptions, type RuleOptions } from '../rules';
import { storeFor } from '../stores';
import { SopsError } from '../errors';
import { fileContext, inFile, lockedFile, readInput, writeOutput, type FileOptions } from './context';

export interface EncryptFileOptions extends Omit<FileOptions, 'identities'>, Partial<Omit<EncryptOptions, 'format'>> {
  /** Write the result back to the file (like `sops -e -i`). */
  inPlace?: boolean;
}

export async function encryptFile(path: string, opts: EncryptFileOptions = {}): Promise<string> {
  if (opts.inPlace) return lockedFile(path, opts, () => encryptUnlocked(path, opts));
  return encryptUnlocked(path, opts);
}

async function encryptUnlocked(path: string, opts: EncryptFileOptions): Promise<string> {
  return inFile(path, async () => {
    const ctx = fileContext(path, opts);
    const explicitKeys = opts.recipients?.length || opts.keyGroups?.length;
    let keyGroups = opts.keyGroups ?? (opts.recipients?.length ? [opts.recipients] : undefined);
    let ruleOpts: RuleOptions = opts;
    let shamirThreshold = opts.shamirThreshold;
    let macOnlyEncrypted = opts.macOnlyEncrypted;
    if (ctx.config) {
      const rule = matchCreationRule(ctx.config.config, path, ctx.config.path);
      if (!explicitKeys) {
        keyGroups = ruleKeyGroups(rule);
        if (!keyGroups.length || keyGroups.some((g) => !g.length)) {
          throw new SopsError('UNSUPPORTED', 'the matching creation rule lacks age keys (pgp/kms/vault keys are not supported here)');
        }
        shamirThreshold ??= rule.shamirThreshold;
      }
      if (!ruleFromOptions(opts)) ruleOpts = rule;
      macOnlyEncrypted ??= rule.macOnlyEncrypted;
    }
    if (!keyGroups?.length) throw new SopsError('CONFIG', 'no recipients: pass recipients or add a .sops.yaml creation rule');
    const store = storeFor(ctx.format, ctx.storeOptions);
    const out = await encryptBranchesToFile(store, store.loadPlain(readInput(path)), {
      ...ruleOpts,
      format: ctx.format,
      keyGroups,
      shamirThreshold,
      macOnlyEncrypted,
      now: opts.now,
    });
    if (opts.inPlace) writeOutput(path, out);
    return out.toString('utf8');
  });
}
