/**
 * SOPS value encryption (`aes/cipher.go`): AES-256-GCM with a 32-byte nonce,
 * the key path as AAD, and the Go type recorded in `type:`.
 */
import { isUtf8 } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Comment, RawString, SopsFloat, SopsInt, SopsTime, type Scalar } from './tree';
import { atoi, formatFloatF, parseBool, parseFloat64 } from './go/strconv';
import { SopsError } from './errors';

const NONCE_SIZE = 32; // sops' non-standard GCM nonce length (cipher.go:34)
const TAG_SIZE = 16;
const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
/** Standard base64 with its padding, as Go's base64.StdEncoding decodes it (sops' values, go-yaml's !!binary). */
export const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type Plain = Exclude<Scalar, null> | Comment;

export function isEncryptedValue(v: unknown): boolean {
  return typeof v === 'string' && ENC_RE.test(v);
}

/** Bytes that are encrypted and hashed for a value (`sops.ToBytes`, cipher.go Encrypt). */
export function toBytes(v: Plain): { type: string; bytes: Buffer } {
  if (typeof v === 'string') return { type: 'str', bytes: Buffer.from(v, 'utf8') };
  if (v instanceof RawString) return { type: 'str', bytes: Buffer.from(v.bytes) };
  if (typeof v === 'boolean') return { type: 'bool', bytes: Buffer.from(v ? 'True' : 'False') };
  if (v instanceof SopsInt) return { type: 'int', bytes: Buffer.from(v.value.toString()) };
  if (v instanceof SopsFloat) return { type: 'float', bytes: Buffer.from(formatFloatF(v.value)) };
  if (v instanceof SopsTime) return { type: 'time', bytes: Buffer.from(v.text) };
  if (v instanceof Comment) return { type: 'comment', bytes: Buffer.from(v.value, 'utf8') };
  throw new SopsError('UNSUPPORTED', `cannot encrypt a value of unknown type`);
}

function b64decode(s: string, what: string): Buffer {
  if (!STD_BASE64.test(s)) throw new SopsError('DECRYPT_FAILED', `invalid base64 in encrypted value ${what}`);
  return Buffer.from(s, 'base64');
}

/**
 * Holds the "edit stash": IVs of values decrypted in this process, keyed by
 * (AAD, type, plaintext). Re-encrypting an unchanged value with the same key then
 * yields the same ciphertext, so diffs show only what changed (cipher.go:43-52).
 */
export class AesCipher {
  private stash = new Map<string, Buffer>();

  private stashKey(aad: string, type: string, bytes: Buffer): string {
    return `${aad}\u0000${type}\u0000${bytes.toString('base64')}`;
  }

  encrypt(value: Plain, key: Uint8Array, aad: string): string {
    const { type, bytes } = toBytes(value);
    if (bytes.length === 0 && (type === 'str' || type === 'comment')) return ''; // isEmpty: "" is never encrypted
    const iv = this.stash.get(this.stashKey(aad, type, bytes)) ?? randomBytes(NONCE_SIZE);
    const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
    c.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([c.update(bytes), c.final()]);
    const tag = c.getAuthTag();
    return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
  }

  /** Decrypt an `ENC[...]` string. `raw` keeps `str` values as bytes (binary store). */
  decrypt(text: string, key: Uint8Array, aad: string, raw = false): Plain {
    if (text === '') return '';
    const m = ENC_RE.exec(text);
    if (!m) throw new SopsError('DECRYPT_FAILED', 'value does not match the sops ENC[...] format (is it plaintext?)');
    const data = b64decode(m[1], 'data');
    const iv = b64decode(m[2], 'iv');
    const tag = b64decode(m[3], 'tag');
    const type = m[4];
    if (iv.length === 0 || tag.length !== TAG_SIZE) throw new SopsError('DECRYPT_FAILED', 'malformed iv or tag in encrypted value');
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(tag);
      plain = Buffer.concat([d.update(data), d.final()]);
    } catch {
      throw new SopsError('DECRYPT_FAILED', 'AES-GCM authentication failed (wrong key, or value moved or modified)');
    }
    const text8 = plain.toString('utf8');
    let out: Plain;
    try {
      switch (type) {
        case 'str':
        case 'bytes':
          // Bytes that are not UTF-8 (a `!!binary` value such as 0xFF) stay bytes: as text they would turn
          // into U+FFFD, and the MAC, computed by sops over the bytes, would not match.
          out = raw || !isUtf8(plain) ? new RawString(plain) : text8;
          break;
        case 'int':
          out = new SopsInt(atoi(text8));
          break;
        case 'float':
          out = new SopsFloat(parseFloat64(text8));
          break;
        case 'bool':
          out = parseBool(text8);
          break;
        case 'time':
          out = SopsTime.parse(text8);
          break;
        case 'comment':
          out = new Comment(text8);
          break;
        default:
          throw new SopsError('DECRYPT_FAILED', `Unknown datatype in encrypted value: ${JSON.stringify(type)}`);
      }
    } catch (e) {
      if (e instanceof SopsError) throw e;
      throw new SopsError('DECRYPT_FAILED', `decrypted value does not parse as type ${type}`);
    }
    const tb = toBytes(out);
    this.stash.set(this.stashKey(aad, tb.type, tb.bytes), iv);
    return out;
  }
}
