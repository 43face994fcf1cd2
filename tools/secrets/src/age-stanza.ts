/**
 * What can be checked of a `sops.age[].enc` entry without any key: that it is a well-formed age v1
 * file in ASCII armor, wrapping a sops data key for the kind of recipient it is filed under
 * (age spec, https://age-encryption.org/v1):
 *
 *   armor          -----BEGIN AGE ENCRYPTED FILE----- / 64-column padded base64 / -----END …-----
 *   header         "age-encryption.org/v1", stanzas "-> type args…" + body (unpadded canonical
 *                  base64, 64-column lines, last line shorter), "--- " + 32-byte MAC
 *   stanza         exactly one of the recipient's type: X25519 (32-byte share) for age1…, or
 *                  mlkem768x25519 (1120-byte share) for age1pq1…; body 32 bytes (wrapped file key)
 *   payload        16-byte nonce + the data key (32 bytes, 33 for a Shamir share) + 16-byte tag
 *
 * Not checkable without the identity: that the share was made for this very recipient, the header
 * MAC and the payload's authenticity (a flipped bit in ciphertext passes here; decryption with the
 * key catches it).
 */
import { armor } from 'age-encryption';
import { recipientKind } from './age';

const INTRO = 'age-encryption.org/v1';
const ARG_RE = /^[\x21-\x7e]+$/;

/** Unpadded canonical base64 (as age writes it), or undefined. */
function b64(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(s)) return undefined;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64').replace(/=+$/, '') === s ? buf : undefined;
}

interface Stanza {
  args: string[];
  body: Buffer;
}

/** Parse the binary age file's header; returns the stanzas and the payload, or a problem. */
function parseAgeFile(file: Uint8Array): { stanzas: Stanza[]; payload: Buffer } | string {
  const buf = Buffer.from(file);
  let pos = 0;
  const line = (): string | undefined => {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return undefined;
    const text = buf.subarray(pos, nl).toString('latin1');
    pos = nl + 1;
    return text;
  };
  if (line() !== INTRO) return `does not start with "${INTRO}"`;
  const stanzas: Stanza[] = [];
  for (;;) {
    const l = line();
    if (l === undefined) return 'header ends without the "---" MAC line';
    if (l.startsWith('--- ')) {
      const mac = b64(l.slice(4));
      if (!mac || mac.length !== 32) return 'header MAC line is malformed';
      break;
    }
    if (!l.startsWith('-> ')) return `unexpected header line (not a stanza): ${JSON.stringify(l.slice(0, 20))}`;
    const args = l.slice(3).split(' ');
    if (!args.length || args.some((a) => !ARG_RE.test(a))) return 'stanza line has an empty or non-printable argument';
    const parts: Buffer[] = [];
    for (;;) {
      const b = line();
      if (b === undefined) return 'stanza body is not terminated';
      const bytes = b64(b);
      if (!bytes || b.length > 64) return 'stanza body is not canonical base64';
      parts.push(bytes);
      if (b.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(parts) });
  }
  return { stanzas, payload: buf.subarray(pos) };
}

/**
 * Problems of one `enc` entry filed under `recipient` (empty when well-formed). `shamir`: the file
 * has several key groups, so the wrapped secret is a 33-byte Shamir share.
 */
export function ageStanzaProblems(enc: string, recipient: string, opts: { shamir?: boolean } = {}): string[] {
  let file: Uint8Array;
  try {
    file = armor.decode(enc);
  } catch (e) {
    return [`age armor is malformed (${(e as Error).message})`];
  }
  const parsed = parseAgeFile(file);
  if (typeof parsed === 'string') return [`age header ${parsed}`];
  const kind = recipientKind(recipient);
  const expected = kind === 'x25519' ? { type: 'X25519', share: 32 } : kind === 'hybrid' ? { type: 'mlkem768x25519', share: 1120 } : undefined;
  if (!expected) return []; // plugin/SSH recipients: not produced here; sops checks them
  const problems: string[] = [];
  const mine = parsed.stanzas.filter((s) => s.args[0] === expected.type);
  if (mine.length !== 1) problems.push(`expected one ${expected.type} stanza for ${recipient}, found ${mine.length}`);
  for (const s of mine) {
    const share = s.args.length === 2 ? b64(s.args[1]) : undefined;
    if (!share || share.length !== expected.share) problems.push(`${expected.type} stanza share is malformed (want ${expected.share} bytes)`);
    if (s.body.length !== 32) problems.push(`${expected.type} stanza body is ${s.body.length} bytes, want 32 (a wrapped file key)`);
  }
  const want = 16 + (opts.shamir ? 33 : 32) + 16;
  if (parsed.payload.length !== want) problems.push(`payload is ${parsed.payload.length} bytes, want ${want} (nonce + data key + tag)`);
  return problems;
}
