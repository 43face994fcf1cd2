/**
 * Walks a SOPS tree exactly like `walkBranch`/`walkSlice` (sops.go:307-434) to
 * encrypt or decrypt the selected leaves and compute the SHA-512 MAC.
 *
 * MAC rules: every non-null, non-comment leaf in document order (all documents,
 * one hash), as `toBytes` renders it; with `mac_only_encrypted` only the
 * encrypted leaves, after a fixed 32-byte prefix.
 */
import { createHash } from 'node:crypto';
import { AesCipher, toBytes, type Plain } from './cipher';
import { Comment, TreeBranch, type TreeList, type TreeValue } from './tree';
import { shouldBeEncrypted, type EncryptionRule } from './rules';
import { SopsError } from './errors';
import { goMatch } from './go/regexp';

/** sha256("sops"), sops.go MACOnlyEncryptedInitialization. */
const MAC_ONLY_ENCRYPTED_INIT = Buffer.from('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69', 'hex');

export interface WalkSettings {
  rule: EncryptionRule;
  macOnlyEncrypted: boolean;
}

type OnLeaf = (leaf: Plain, path: string[], commentsStack: string[][]) => TreeValue | Comment;

function walkValue(v: TreeValue | Comment, path: string[], stack: string[][], onLeaf: OnLeaf): TreeValue | Comment {
  if (v === null) return null; // nulls are neither encrypted nor hashed
  if (v instanceof TreeBranch) return walkBranch(v, path, stack, onLeaf);
  if (Array.isArray(v)) return walkSlice(v, path, stack, onLeaf);
  return onLeaf(v, path, stack);
}

function walkSlice(list: TreeList, path: string[], parentStack: string[][], onLeaf: OnLeaf): TreeList {
  const stack = [...parentStack, []];
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    const isComment = v instanceof Comment;
    if (isComment) stack[stack.length - 1].push(v.value);
    // Like Go, the result replaces the element as-is: an encrypted list comment becomes an ENC[...] string.
    list[i] = walkValue(v, path, stack, onLeaf) as TreeValue | Comment;
    if (!isComment) stack[stack.length - 1] = [];
  }
  return list;
}

function walkBranch(branch: TreeBranch, path: string[], parentStack: string[][], onLeaf: OnLeaf): TreeBranch {
  const stack = [...parentStack, []];
  for (let i = 0; i < branch.items.length; i++) {
    const item = branch.items[i];
    if (item instanceof Comment) {
      stack[stack.length - 1].push(item.value);
      const r = onLeaf(item, path, stack);
      if (r instanceof Comment) branch.items[i] = new Comment(r.value, item.inline);
      else if (typeof r === 'string') branch.items[i] = new Comment(r, item.inline);
      else throw new SopsError('INVALID_FORMAT', 'a comment decrypted to a non-comment value');
      continue;
    }
    item.value = walkValue(item.value, [...path, item.key], stack, onLeaf) as TreeValue;
    stack[stack.length - 1] = [];
  }
  return branch;
}

const aadOf = (path: string[]) => path.join(':') + ':';
const where = (path: string[]) => (path.length ? path.join(':') : '(top level)');

function newHash(s: WalkSettings) {
  const h = createHash('sha512');
  if (s.macOnlyEncrypted) h.update(MAC_ONLY_ENCRYPTED_INIT);
  return h;
}

/** Encrypts the selected leaves in place and returns the MAC (upper-case hex) of the plaintext. */
export function encryptBranches(branches: TreeBranch[], s: WalkSettings, key: Uint8Array, cipher: AesCipher): string {
  const h = newHash(s);
  for (const b of branches) {
    walkBranch(b, [], [], (leaf, path, stack) => {
      const isComment = leaf instanceof Comment;
      const enc = shouldBeEncrypted(s.rule, path, stack, isComment);
      if ((!s.macOnlyEncrypted || enc) && !isComment) h.update(toBytes(leaf).bytes);
      if (!enc) return leaf;
      const out = cipher.encrypt(leaf, key, aadOf(path));
      if (isComment && s.rule.kind === 'unencrypted_comment_regex' && goMatch(s.rule.value, out)) {
        throw new SopsError('INVALID_FORMAT', 'an encrypted comment matches unencrypted_comment_regex; choose a regex that cannot match ENC[...]');
      }
      return out;
    });
  }
  return h.digest('hex').toUpperCase();
}

/** Decrypts the selected leaves in place and returns the MAC computed over the plaintext. */
export function decryptBranches(branches: TreeBranch[], s: WalkSettings, key: Uint8Array, cipher: AesCipher, raw = false): string {
  const h = newHash(s);
  for (const b of branches) {
    walkBranch(b, [], [], (leaf, path, stack) => {
      const isComment = leaf instanceof Comment;
      const enc = shouldBeEncrypted(s.rule, path, stack, isComment);
      let v: Plain = leaf;
      if (enc) {
        if (isComment) {
          // A comment that does not decrypt was never encrypted (older sops): keep it.
          try {
            v = cipher.decrypt(leaf.value, key, aadOf(path));
          } catch {
            v = leaf;
          }
        } else {
          if (typeof leaf !== 'string') {
            throw new SopsError('DECRYPT_FAILED', `value at ${where(path)} should be encrypted but is not an ENC[...] string`);
          }
          try {
            v = cipher.decrypt(leaf, key, aadOf(path), raw);
          } catch (e) {
            throw new SopsError('DECRYPT_FAILED', `could not decrypt value at ${where(path)}: ${(e as Error).message}`);
          }
        }
      }
      if ((!s.macOnlyEncrypted || enc) && !(v instanceof Comment)) h.update(toBytes(v).bytes);
      return v;
    });
  }
  return h.digest('hex').toUpperCase();
}
