/**
 * SOPS tree branches → YAML text, byte-compatible with sops:
 *  1. tree → go-yaml Node tree with comments (sops appendTreeBranch/appendSequence),
 *  2. Node tree → events (go-yaml encoder `node()`, incl. its foot→tail comment shuffle),
 *  3. events → text (ported go-yaml emitter).
 */
import { isUtf8 } from 'node:buffer';
import { Comment, RawString, SopsFloat, SopsInt, SopsTime, TreeBranch, type TreeList, type TreeValue } from '../tree';
import { formatFloatG } from '../go/strconv';
import { GoYamlEmitter, type ScalarStyle, type YamlEvent } from './goyaml-emitter';
import { stringStyle } from './resolve';

interface NodeComments {
  head: string;
  line: string;
  foot: string;
}
type YNode =
  | ({ kind: 'scalar'; value: string; style: ScalarStyle; tag: string } & NodeComments)
  | ({ kind: 'map'; content: YNode[] } & NodeComments)
  | ({ kind: 'seq'; content: YNode[] } & NodeComments);

const noComments = (): NodeComments => ({ head: '', line: '', foot: '' });

function scalarNode(value: string, style: ScalarStyle): YNode {
  // go-yaml's parser tags a plain `<<` as !!merge; the encoder then keeps the tag.
  const tag = style === 'plain' && value === '<<' ? 'tag:yaml.org,2002:merge' : '';
  return { kind: 'scalar', value, style, tag, ...noComments() };
}

/** `yaml.Node.Encode(v)` for a leaf value. */
function encodeScalar(v: Exclude<TreeValue, TreeBranch | TreeList>): YNode {
  if (v === null) return scalarNode('null', 'plain');
  if (typeof v === 'string') return scalarNode(v, stringStyle(v));
  if (v instanceof RawString) {
    const b = Buffer.from(v.bytes);
    if (!isUtf8(b)) {
      // go-yaml (encode.go stringv): data that is not UTF-8 is written `!!binary`, base64 in lines of 70
      // (each ended by a newline when there is more than one, then a literal block), else plain.
      const b64 = b.toString('base64');
      const lines = b64.match(/.{1,70}/g) ?? [''];
      const s = b64.length >= 70 ? lines.map((l) => l + '\n').join('') : b64;
      return { kind: 'scalar', value: s, style: s.includes('\n') ? 'literal' : 'plain', tag: 'tag:yaml.org,2002:binary', ...noComments() };
    }
    const s = b.toString('utf8');
    return scalarNode(s, stringStyle(s));
  }
  if (typeof v === 'boolean') return scalarNode(v ? 'true' : 'false', 'plain');
  if (v instanceof SopsInt) return scalarNode(v.value.toString(), 'plain');
  if (v instanceof SopsFloat) {
    let s = formatFloatG(v.value);
    if (s === '+Inf') s = '.inf';
    else if (s === '-Inf') s = '-.inf';
    else if (s === 'NaN') s = '.nan';
    return scalarNode(s, 'plain');
  }
  if (v instanceof SopsTime) return scalarNode(v.text, 'plain');
  throw new Error('cannot encode value');
}

const joinComments = (c: string[]) => '#' + c.join('\n#');
function addHead(n: NodeComments, c: string[]) {
  if (!c.length) return;
  n.head = n.head ? joinComments(c) + '\n' + n.head : joinComments(c);
}
function addFoot(n: NodeComments, c: string[]) {
  if (!c.length) return;
  n.foot = n.foot ? n.foot + '\n' + joinComments(c) : joinComments(c);
}
function addLine(n: NodeComments, c: string[]) {
  if (!c.length) return;
  n.line = n.line ? n.line + '\n' + joinComments(c) : joinComments(c);
}

function valueToNode(v: TreeValue): YNode {
  if (v instanceof TreeBranch) return branchToNode(v);
  if (Array.isArray(v)) return listToNode(v);
  return encodeScalar(v);
}

function branchToNode(branch: TreeBranch): YNode {
  const mapping: YNode = { kind: 'map', content: [], ...noComments() };
  let head: string[] = [];
  let inline: string[] = [];
  let beginning = true;
  for (const item of branch.items) {
    if (item instanceof Comment) {
      (item.inline ? inline : head).push(item.value);
      continue;
    }
    if (beginning) {
      addHead(mapping, head);
      head = [];
      beginning = false;
    }
    const keyNode = scalarNode(item.key, stringStyle(item.key));
    addHead(keyNode, head);
    head = [];
    const valueNode = valueToNode(item.value);
    addLine(valueNode, inline);
    inline = [];
    mapping.content.push(keyNode, valueNode);
  }
  head.push(...inline);
  if (head.length) {
    if (beginning) addHead(mapping, head);
    else addFoot(mapping.content[mapping.content.length - 2], head);
  }
  return mapping;
}

function listToNode(list: TreeList): YNode {
  const seq: YNode = { kind: 'seq', content: [], ...noComments() };
  let head: string[] = [];
  let inline: string[] = [];
  let beginning = true;
  for (const item of list) {
    if (item instanceof Comment) {
      (item.inline ? inline : head).push(item.value);
      continue;
    }
    if (beginning) {
      addHead(seq, head);
      head = [];
      beginning = false;
    }
    const n = valueToNode(item);
    addHead(n, head);
    head = [];
    addLine(n, inline);
    inline = [];
    seq.content.push(n);
  }
  head.push(...inline);
  if (head.length) {
    if (beginning) addHead(seq, head);
    else addFoot(seq.content[seq.content.length - 1], head);
  }
  return seq;
}

/** go-yaml encoder `node()`: foot comments of keys travel as the next key's tail. */
function nodeEvents(n: YNode, tail: string, out: YamlEvent[]) {
  if (n.kind === 'scalar') {
    const implicit = n.tag === '';
    out.push({
      type: 'SCALAR', value: n.value, tag: n.tag || undefined, implicit, quotedImplicit: implicit,
      style: n.style, head: n.head, line: n.line, foot: n.foot, tail,
    });
    return;
  }
  if (n.kind === 'seq') {
    out.push({ type: 'SEQUENCE_START', implicit: true, flow: false, head: n.head });
    for (const c of n.content) nodeEvents(c, '', out);
    out.push({ type: 'SEQUENCE_END', line: n.line, foot: n.foot });
    return;
  }
  out.push({ type: 'MAPPING_START', implicit: true, flow: false, head: n.head, tail });
  let t = '';
  for (let i = 0; i + 1 < n.content.length; i += 2) {
    let k = n.content[i];
    const foot = k.foot;
    if (foot) k = { ...k, foot: '' };
    nodeEvents(k, t, out);
    t = foot;
    nodeEvents(n.content[i + 1], '', out);
  }
  out.push({ type: 'MAPPING_END', tail: t, line: n.line, foot: n.foot });
}

/** Emit branches as a YAML stream, one document per branch (sops EmitPlainFile). */
export function dumpYamlBranches(branches: TreeBranch[], indent = 4): string {
  const em = new GoYamlEmitter(indent);
  em.emit({ type: 'STREAM_START' });
  for (const b of branches) {
    const events: YamlEvent[] = [];
    em.emit({ type: 'DOCUMENT_START', implicit: true });
    nodeEvents(branchToNode(b), '', events);
    for (const e of events) em.emit(e);
    em.emit({ type: 'DOCUMENT_END', implicit: true });
  }
  em.emit({ type: 'STREAM_END' });
  return em.result();
}

/** One value as `sops --extract` prints it for YAML (`EmitValue` → yaml.Marshal). */
export function dumpYamlValue(v: TreeValue, indent = 4): string {
  const em = new GoYamlEmitter(indent);
  const events: YamlEvent[] = [];
  nodeEvents(valueToNode(v), '', events);
  em.emit({ type: 'STREAM_START' });
  em.emit({ type: 'DOCUMENT_START', implicit: true });
  for (const e of events) em.emit(e);
  em.emit({ type: 'DOCUMENT_END', implicit: true });
  em.emit({ type: 'STREAM_END' });
  return em.result();
}
