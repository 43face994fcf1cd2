/**
 * What can be learned from a SOPS file without any key: recipients, rule, MAC
 * presence and the key paths of the tree (SOPS leaves key names readable).
 */
import { isEncryptedValue } from '../cipher';
import { ageStanzaProblems } from '../age-stanza';
import { storeFor, type Format } from '../stores';
import { leafPaths, RawString } from '../tree';
import type { EncryptionRule } from '../rules';
import { fileContext, inFile, readInput, type FileOptions } from './context';

export interface LeafInfo {
  path: Array<string | number>;
  /** Document index (multi-document YAML). */
  document: number;
  encrypted: boolean;
  /** `type:` of the encrypted value (str, int, float, bool, time, comment). */
  type?: string;
}

export interface FileMetadata {
  format: Format;
  version: string;
  lastModified: string;
  macPresent: boolean;
  rule: EncryptionRule;
  macOnlyEncrypted: boolean;
  shamirThreshold: number;
  /** age recipients per key group. */
  keyGroups: Array<{ age: string[]; otherKeyTypes: string[] }>;
  recipients: string[];
  /** Age entries whose `enc` is not a well-formed age file for their recipient (checked without a key). */
  ageStanzaProblems: Array<{ recipient: string; problem: string }>;
  documents: number;
  paths: LeafInfo[];
}

export async function readMetadata(file: string, opts: Pick<FileOptions, 'format' | 'config'> = {}): Promise<FileMetadata> {
  return inFile(file, () => {
    const ctx = fileContext(file, { ...opts, config: opts.config ?? false });
    const { branches, metadata } = storeFor(ctx.format, ctx.storeOptions).loadEncrypted(readInput(file));
    const paths: LeafInfo[] = [];
    branches.forEach((b, document) => {
      for (const { path, value } of leafPaths(b)) {
        const s = value instanceof RawString ? Buffer.from(value.bytes).toString('utf8') : value;
        const encrypted = isEncryptedValue(s);
        paths.push({ path, document, encrypted, ...(encrypted ? { type: /type:([^\]]+)\]$/.exec(s as string)?.[1] } : {}) });
      }
    });
    return {
      format: ctx.format,
      version: metadata.version,
      lastModified: metadata.lastModified,
      macPresent: isEncryptedValue(metadata.mac),
      rule: metadata.rule,
      macOnlyEncrypted: metadata.macOnlyEncrypted,
      shamirThreshold: metadata.shamirThreshold,
      keyGroups: metadata.keyGroups.map((g) => ({ age: g.age.map((k) => k.recipient), otherKeyTypes: Object.keys(g.other) })),
      recipients: metadata.keyGroups.flatMap((g) => g.age.map((k) => k.recipient)),
      ageStanzaProblems: metadata.keyGroups.flatMap((g) =>
        g.age.flatMap((k) => ageStanzaProblems(k.enc, k.recipient, { shamir: metadata.keyGroups.length > 1 }).map((problem) => ({ recipient: k.recipient, problem }))),
      ),
      documents: branches.length,
      paths,
    };
  });
}
