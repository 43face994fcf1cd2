/**
 * The four sops stores (YAML, JSON, dotenv, binary): plaintext ⇄ tree and
 * encrypted file ⇄ (tree, metadata). Format is chosen by file extension like
 * `formats.FormatForPath`.
 */
import { SopsError } from '../errors';
import { parseMetadata, metadataToTree, type Metadata } from '../metadata';
import { Comment, RawString, TreeBranch, toPlain, SopsFloat, type TreeValue } from '../tree';
import { loadYamlBranches } from '../yaml/load';
import { dumpYamlBranches, dumpYamlValue } from '../yaml/dump';
import { jsonIndentString, jsonValue, parseJsonBranch } from './json';
import { flattenMetadata, unflattenMetadata } from './flatten';
import { formatFloatG } from '../go/strconv';

export type Format = 'yaml' | 'json' | 'dotenv' | 'binary';

export interface StoreOptions {
  /** `stores.yaml.indent` (default 4). */
  yamlIndent?: number;
  /** `stores.json.indent` (default -1 = tab). */
  jsonIndent?: number;
  /** `stores.json_binary.indent` (default -1 = tab). */
  jsonBinaryIndent?: number;
}

/** `formats.FormatForPath`: .yaml/.yml, .json, .env, anything else binary. */
export function formatForPath(path: string): Format {
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'yaml';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.env')) return 'dotenv';
  if (path.endsWith('.ini')) throw new SopsError('UNSUPPORTED', 'the INI store is not implemented');
  return 'binary';
}

export interface Store {
  readonly format: Format;
  loadPlain(input: Buffer): TreeBranch[];
  emitPlain(branches: TreeBranch[]): Buffer;
  loadEncrypted(input: Buffer): { branches: TreeBranch[]; metadata: Metadata };
  emitEncrypted(branches: TreeBranch[], md: Metadata): Buffer;
  /** A single (sub)value as `sops decrypt --extract` prints it. */
  emitValue(v: TreeValue): Buffer;
  /** Whether the rule field is written to the metadata (not for binary since 3.11). */
  readonly writesRule: boolean;
}

const SOPS_KEY = 'sops';

/** `ExtractMetadata` for nested layouts: the `sops` mapping of the first document, removed everywhere. */
function extractNested(branches: TreeBranch[]): { branches: TreeBranch[]; metadata: Metadata } {
  let meta: TreeBranch | undefined;
  branches.forEach((b, bi) => {
    b.items = b.items.filter((item) => {
      if (item instanceof Comment || item.key !== SOPS_KEY) return true;
      if (bi === 0) {
        if (meta) throw new SopsError('INVALID_METADATA', 'Found duplicate sops entry');
        if (!(item.value instanceof TreeBranch)) throw new SopsError('INVALID_METADATA', 'Found sops entry that is not a mapping');
        meta = item.value;
      }
      return false;
    });
  });
  if (!meta) throw new SopsError('METADATA_NOT_FOUND', 'sops metadata not found (is this a SOPS-encrypted file?)');
  return { branches, metadata: parseMetadata(toPlain(meta) as Record<string, unknown>) };
}

/** `SerializeMetadata` for nested layouts: a copy of the metadata appended to every document. */
function withNestedMetadata(branches: TreeBranch[], md: Metadata, includeRule: boolean): TreeBranch[] {
  const tree = metadataToTree(md, { includeRule });
  return branches.map((b) => {
    if (b.has(SOPS_KEY)) throw new SopsError('ALREADY_ENCRYPTED', 'Found key "sops" in the data, which is reserved for SOPS metadata');
    return new TreeBranch([...b.items, { key: SOPS_KEY, value: tree }]);
  });
}

export class YamlStore implements Store {
  readonly format = 'yaml' as const;
  readonly writesRule = true;
  constructor(private indent = 4) {
    if (indent < 0) throw new SopsError('CONFIG', 'YAML Negative indentation not accepted');
    if (indent === 0) this.indent = 4;
  }
  loadPlain(input: Buffer) {
    return loadYamlBranches(input.toString('utf8'));
  }
  emitPlain(branches: TreeBranch[]) {
    return Buffer.from(dumpYamlBranches(branches, this.indent), 'utf8');
  }
  loadEncrypted(input: Buffer) {
    return extractNested(this.loadPlain(input));
  }
  emitEncrypted(branches: TreeBranch[], md: Metadata) {
    return this.emitPlain(withNestedMetadata(branches, md, true));
  }
  emitValue(v: TreeValue) {
    return Buffer.from(dumpYamlValue(v, this.indent), 'utf8');
  }
}

export class JsonStore implements Store {
  readonly format: Format = 'json';
  readonly writesRule: boolean = true;
  protected indent: string;
  constructor(indent = -1) {
    this.indent = jsonIndentString(indent);
  }
  loadPlain(input: Buffer) {
    return [parseJsonBranch(input.toString('utf8'))];
  }
  emitPlain(branches: TreeBranch[]): Buffer {
    return Buffer.from(jsonValue(branches[0] ?? new TreeBranch(), this.indent) + '\n', 'utf8');
  }
  loadEncrypted(input: Buffer) {
    return extractNested([parseJsonBranch(input.toString('utf8'))]);
  }
  emitEncrypted(branches: TreeBranch[], md: Metadata): Buffer {
    return JsonStore.prototype.emitPlain.call(this, withNestedMetadata(branches, md, this.writesRule));
  }
  emitValue(v: TreeValue): Buffer {
    return Buffer.from(jsonValue(v, this.indent), 'utf8');
  }
}

/** Binary store: the whole input is the string leaf `data`, in a JSON envelope. */
export class BinaryStore extends JsonStore {
  override readonly format: Format = 'binary';
  override readonly writesRule = false;
  override loadPlain(input: Buffer) {
    return [new TreeBranch([{ key: 'data', value: new RawString(new Uint8Array(input)) }])];
  }
  override emitPlain(branches: TreeBranch[]): Buffer {
    if (branches.length !== 1) throw new SopsError('INVALID_FORMAT', 'error emitting binary store: there must be exactly one tree branch');
    const v = branches[0].get('data');
    if (v instanceof RawString) return Buffer.from(v.bytes);
    if (typeof v === 'string') return Buffer.from(v, 'utf8');
    throw new SopsError('INVALID_FORMAT', "error emitting binary store: no binary data found in tree ('data' key)");
  }
  override emitValue(_v: TreeValue): Buffer {
    throw new SopsError('UNSUPPORTED', 'Binary files are not structured and extracting a single value is not possible');
  }
}

/** `stores.ValToString` for dotenv values that are not strings. */
function valToString(v: TreeValue): string {
  if (v instanceof SopsFloat) {
    let s = formatFloatG(v.value).toUpperCase();
    if (!s.includes('.') && !s.includes('E')) s = v.value.toFixed(1);
    return s;
  }
  if (v instanceof RawString) return Buffer.from(v.bytes).toString('utf8');
  return String(toPlain(v));
}

export class DotenvStore implements Store {
  readonly format = 'dotenv' as const;
  readonly writesRule = true;
  loadPlain(input: Buffer) {
    const branch = new TreeBranch();
    const lines = input.toString('utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.length === 0) return;
      if (line[0] === '#') {
        branch.items.push(new Comment(line.slice(1)));
        return;
      }
      const pos = line.indexOf('=');
      if (pos === -1) throw new SopsError('INVALID_FORMAT', `invalid dotenv input line ${i + 1} (no '=')`);
      branch.items.push({ key: line.slice(0, pos), value: line.slice(pos + 1).replace(/\\n/g, '\n') });
    });
    return [branch];
  }
  emitPlain(branches: TreeBranch[]) {
    let out = '';
    for (const item of branches[0]?.items ?? []) {
      if (item instanceof Comment) {
        out += `#${item.value}\n`;
        continue;
      }
      const v = item.value;
      if (v instanceof TreeBranch || Array.isArray(v)) {
        throw new SopsError('INVALID_FORMAT', `cannot use complex value in dotenv file; offending key ${item.key}`);
      }
      const s = typeof v === 'string' ? v.replace(/\n/g, '\\n') : valToString(v);
      out += `${item.key}=${s}\n`;
    }
    return Buffer.from(out, 'utf8');
  }
  loadEncrypted(input: Buffer) {
    const [branch] = this.loadPlain(input);
    const flat: Array<{ key: string; value: unknown }> = [];
    branch.items = branch.items.filter((item) => {
      if (!(item instanceof Comment) && item.key.startsWith('sops_')) {
        flat.push({ key: item.key.slice(5), value: item.value });
        return false;
      }
      return true;
    });
    if (!flat.length) throw new SopsError('METADATA_NOT_FOUND', 'sops metadata not found (is this a SOPS-encrypted file?)');
    return { branches: [branch], metadata: parseMetadata(unflattenMetadata(flat)) };
  }
  emitEncrypted(branches: TreeBranch[], md: Metadata) {
    const b = branches[0] ?? new TreeBranch();
    for (const item of b.items) {
      if (!(item instanceof Comment) && item.key.startsWith('sops_')) {
        throw new SopsError('ALREADY_ENCRYPTED', `Found key "${item.key}" in the data, which starts with the reserved prefix "sops_"`);
      }
    }
    const entries = flattenMetadata(metadataToTree(md, { includeRule: true }));
    return this.emitPlain([new TreeBranch([...b.items, ...entries])]);
  }
  emitValue(v: TreeValue) {
    if (typeof v === 'string') return Buffer.from(v, 'utf8');
    throw new SopsError('UNSUPPORTED', 'the dotenv store only supports emitting strings');
  }
}

export function storeFor(format: Format, opts: StoreOptions = {}): Store {
  switch (format) {
    case 'yaml':
      return new YamlStore(opts.yamlIndent ?? 4);
    case 'json':
      return new JsonStore(opts.jsonIndent ?? -1);
    case 'binary':
      return new BinaryStore(opts.jsonBinaryIndent ?? -1);
    case 'dotenv':
      return new DotenvStore();
  }
}
