/**
 * A port of the go-yaml v3 emitter (emitterc.go), the code that formats every
 * YAML file sops writes. Only what sops needs is kept: block and flow collections,
 * the five scalar styles, tags, and head/line/foot/tail comments. No anchors.
 * Line width is unlimited (go-yaml v3's default), so nothing is wrapped.
 */

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface Comments {
  head?: string;
  line?: string;
  foot?: string;
  tail?: string;
}

export type YamlEvent =
  | { type: 'STREAM_START' }
  | { type: 'STREAM_END' }
  | ({ type: 'DOCUMENT_START'; implicit: boolean } & Comments)
  | ({ type: 'DOCUMENT_END'; implicit: boolean } & Comments)
  | ({ type: 'MAPPING_START'; tag?: string; implicit: boolean; flow: boolean } & Comments)
  | ({ type: 'MAPPING_END' } & Comments)
  | ({ type: 'SEQUENCE_START'; tag?: string; implicit: boolean; flow: boolean } & Comments)
  | ({ type: 'SEQUENCE_END' } & Comments)
  | ({ type: 'SCALAR'; value: string; tag?: string; implicit: boolean; quotedImplicit: boolean; style: ScalarStyle } & Comments);

type State =
  | 'STREAM_START'
  | 'FIRST_DOCUMENT_START'
  | 'DOCUMENT_START'
  | 'DOCUMENT_CONTENT'
  | 'DOCUMENT_END'
  | 'FLOW_SEQUENCE_FIRST_ITEM'
  | 'FLOW_SEQUENCE_TRAIL_ITEM'
  | 'FLOW_SEQUENCE_ITEM'
  | 'FLOW_MAPPING_FIRST_KEY'
  | 'FLOW_MAPPING_TRAIL_KEY'
  | 'FLOW_MAPPING_KEY'
  | 'FLOW_MAPPING_SIMPLE_VALUE'
  | 'FLOW_MAPPING_VALUE'
  | 'BLOCK_SEQUENCE_FIRST_ITEM'
  | 'BLOCK_SEQUENCE_ITEM'
  | 'BLOCK_MAPPING_FIRST_KEY'
  | 'BLOCK_MAPPING_KEY'
  | 'BLOCK_MAPPING_SIMPLE_VALUE'
  | 'BLOCK_MAPPING_VALUE'
  | 'END';

const MAX_WIDTH = 2 ** 31 - 1;
const DEFAULT_TAG_DIRECTIVES = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

// Character classes, per code point (go-yaml works on UTF-8 bytes; these are equivalent).
const isBreak = (c: string | undefined) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isSpace = (c: string | undefined) => c === ' ';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBlankz = (c: string | undefined) => c === undefined || c === '\0' || isBlank(c) || isBreak(c);
const isAlpha = (c: string) => /^[0-9A-Za-z_-]$/.test(c);
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) as number;
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

export class GoYamlEmitter {
  private out: string[] = [];
  private bestIndent: number;
  private bestWidth = MAX_WIDTH;
  private states: State[] = [];
  private state: State = 'STREAM_START';
  private events: YamlEvent[] = [];
  private eventsHead = 0;
  private indents: number[] = [];
  private tagDirectives: Array<{ handle: string; prefix: string }> = [];
  private indent = -1;
  private flowLevel = 0;
  private rootContext = false;
  private simpleKeyContext = false;
  private line = 0;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private footIndent = -1;
  private tagData = { handle: '', suffix: '' };
  private scalarData = {
    value: [] as string[],
    multiline: false,
    flowPlainAllowed: false,
    blockPlainAllowed: false,
    singleQuotedAllowed: false,
    blockAllowed: false,
    style: 'plain' as ScalarStyle,
  };
  private headComment = '';
  private lineComment = '';
  private footComment = '';
  private tailComment = '';
  private keyLineComment = '';

  constructor(indent = 4) {
    this.bestIndent = indent < 2 || indent > 9 ? 2 : indent;
  }

  result(): string {
    return this.out.join('');
  }

  // ---- low-level writers -------------------------------------------------

  private put(c: string) {
    this.out.push(c);
    this.column++;
  }

  private putBreak() {
    this.out.push('\n');
    this.column = 0;
    this.line++;
    this.indention = true;
  }

  private write(c: string) {
    this.out.push(c);
    this.column++;
  }

  private writeAll(s: string) {
    for (const c of s) this.write(c);
  }

  private writeBreak(c: string) {
    if (c === '\n') {
      this.putBreak();
    } else {
      this.write(c);
        this.column = 0;
      this.line++;
      this.indention = true;
    }
  }

  private writeIndent() {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.footIndent === indent) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.footIndent = -1;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean) {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.writeAll(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  private writeTagHandle(value: string) {
    if (!this.whitespace) this.put(' ');
    this.writeAll(value);
    this.whitespace = false;
    this.indention = false;
  }

  private writeTagContent(value: string, needWhitespace: boolean) {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const c of value) {
      if (";/?:@&=+$,_.~*'()[]".includes(c) || isAlpha(c)) {
        this.write(c);
      } else {
        for (const b of Buffer.from(c, 'utf8')) {
          const hex = b.toString(16).toUpperCase().padStart(2, '0');
          this.put('%');
          this.put(hex[0]);
          this.put(hex[1]);
        }
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeComment(comment: string) {
    let breaks = false;
    let pound = false;
    for (const c of comment) {
      if (isBreak(c)) {
        this.writeBreak(c);
        breaks = true;
        pound = false;
      } else {
        if (breaks) this.writeIndent();
        if (!pound) {
          if (c !== '#') {
            this.put('#');
            this.put(' ');
          }
          pound = true;
        }
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
    if (!breaks) this.putBreak();
    this.whitespace = true;
  }

  // ---- event loop ----------------------------------------------------------

  emit(event: YamlEvent) {
    this.events.push(event);
    while (!this.needMoreEvents()) {
      const ev = this.events[this.eventsHead];
      this.analyzeEvent(ev);
      this.stateMachine(ev);
      this.eventsHead++;
    }
  }

  private needMoreEvents(): boolean {
    if (this.eventsHead === this.events.length) return true;
    let accumulate: number;
    switch (this.events[this.eventsHead].type) {
      case 'DOCUMENT_START':
        accumulate = 1;
        break;
      case 'SEQUENCE_START':
        accumulate = 2;
        break;
      case 'MAPPING_START':
        accumulate = 3;
        break;
      default:
        return false;
    }
    if (this.events.length - this.eventsHead > accumulate) return false;
    let level = 0;
    for (let i = this.eventsHead; i < this.events.length; i++) {
      const t = this.events[i].type;
      if (t === 'STREAM_START' || t === 'DOCUMENT_START' || t === 'SEQUENCE_START' || t === 'MAPPING_START') level++;
      else if (t === 'STREAM_END' || t === 'DOCUMENT_END' || t === 'SEQUENCE_END' || t === 'MAPPING_END') level--;
      if (level === 0) return false;
    }
    return true;
  }

  private increaseIndent(flow: boolean, indentless: boolean) {
    this.indents.push(this.indent);
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0;
    } else if (!indentless) {
      if (this.states[this.states.length - 1] === 'BLOCK_SEQUENCE_ITEM') {
        // The first indent inside a sequence just skips the "- " indicator.
        this.indent += 2;
      } else {
        this.indent = this.bestIndent * Math.floor((this.indent + this.bestIndent) / this.bestIndent);
      }
    }
  }

  private popIndent() {
    this.indent = this.indents.pop() as number;
  }

  private popState() {
    this.state = this.states.pop() as State;
  }

  private stateMachine(ev: YamlEvent) {
    switch (this.state) {
      case 'STREAM_START':
        return this.emitStreamStart(ev);
      case 'FIRST_DOCUMENT_START':
        return this.emitDocumentStart(ev, true);
      case 'DOCUMENT_START':
        return this.emitDocumentStart(ev, false);
      case 'DOCUMENT_CONTENT':
        return this.emitDocumentContent(ev);
      case 'DOCUMENT_END':
        return this.emitDocumentEnd(ev);
      case 'FLOW_SEQUENCE_FIRST_ITEM':
        return this.emitFlowSequenceItem(ev, true, false);
      case 'FLOW_SEQUENCE_TRAIL_ITEM':
        return this.emitFlowSequenceItem(ev, false, true);
      case 'FLOW_SEQUENCE_ITEM':
        return this.emitFlowSequenceItem(ev, false, false);
      case 'FLOW_MAPPING_FIRST_KEY':
        return this.emitFlowMappingKey(ev, true, false);
      case 'FLOW_MAPPING_TRAIL_KEY':
        return this.emitFlowMappingKey(ev, false, true);
      case 'FLOW_MAPPING_KEY':
        return this.emitFlowMappingKey(ev, false, false);
      case 'FLOW_MAPPING_SIMPLE_VALUE':
        return this.emitFlowMappingValue(ev, true);
      case 'FLOW_MAPPING_VALUE':
        return this.emitFlowMappingValue(ev, false);
      case 'BLOCK_SEQUENCE_FIRST_ITEM':
        return this.emitBlockSequenceItem(ev, true);
      case 'BLOCK_SEQUENCE_ITEM':
        return this.emitBlockSequenceItem(ev, false);
      case 'BLOCK_MAPPING_FIRST_KEY':
        return this.emitBlockMappingKey(ev, true);
      case 'BLOCK_MAPPING_KEY':
        return this.emitBlockMappingKey(ev, false);
      case 'BLOCK_MAPPING_SIMPLE_VALUE':
        return this.emitBlockMappingValue(ev, true);
      case 'BLOCK_MAPPING_VALUE':
        return this.emitBlockMappingValue(ev, false);
      case 'END':
        throw new Error('expected nothing after STREAM-END');
    }
  }

  private emitStreamStart(ev: YamlEvent) {
    if (ev.type !== 'STREAM_START') throw new Error('expected STREAM-START');
    this.indent = -1;
    this.line = 0;
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
    this.footIndent = -1;
    this.state = 'FIRST_DOCUMENT_START';
  }

  private emitDocumentStart(ev: YamlEvent, first: boolean) {
    if (ev.type === 'DOCUMENT_START') {
      for (const d of DEFAULT_TAG_DIRECTIVES) if (!this.tagDirectives.some((t) => t.handle === d.handle)) this.tagDirectives.push(d);
      const implicit = ev.implicit && first;
      if (!implicit) {
        this.writeIndent();
        this.writeIndicator('---', true, false, false);
        this.writeIndent();
      }
      if (this.headComment) {
        this.processHeadComment();
        this.putBreak();
      }
      this.state = 'DOCUMENT_CONTENT';
      return;
    }
    if (ev.type === 'STREAM_END') {
      if (this.openEnded) {
        this.writeIndicator('...', true, false, false);
        this.writeIndent();
      }
      this.state = 'END';
      return;
    }
    throw new Error('expected DOCUMENT-START or STREAM-END');
  }

  private emitDocumentContent(ev: YamlEvent) {
    this.states.push('DOCUMENT_END');
    this.processHeadComment();
    this.emitNode(ev, true, false, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitDocumentEnd(ev: YamlEvent) {
    if (ev.type !== 'DOCUMENT_END') throw new Error('expected DOCUMENT-END');
    // [Go] Force document foot separation.
    this.footIndent = 0;
    this.processFootComment();
    this.footIndent = -1;
    this.writeIndent();
    if (!ev.implicit) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    this.state = 'DOCUMENT_START';
    this.tagDirectives = [];
  }

  private hasTrailingComments() {
    return this.lineComment.length + this.footComment.length + this.tailComment.length > 0;
  }

  private emitFlowSequenceItem(ev: YamlEvent, first: boolean, trail: boolean) {
    if (first) {
      this.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === 'SEQUENCE_END') {
      this.flowLevel--;
      this.popIndent();
      if (this.column === 0) this.writeIndent();
      this.writeIndicator(']', false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.popState();
      return;
    }
    if (!first && !trail) this.writeIndicator(',', false, false, false);
    this.processHeadComment();
    if (this.column === 0) this.writeIndent();
    if (this.column > this.bestWidth) this.writeIndent();
    this.states.push(this.hasTrailingComments() ? 'FLOW_SEQUENCE_TRAIL_ITEM' : 'FLOW_SEQUENCE_ITEM');
    this.emitNode(ev, false, true, false, false);
    if (this.hasTrailingComments()) this.writeIndicator(',', false, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitFlowMappingKey(ev: YamlEvent, first: boolean, trail: boolean) {
    if (first) {
      this.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === 'MAPPING_END') {
      if (this.headComment.length + this.footComment.length + this.tailComment.length > 0 && !first && !trail) {
        this.writeIndicator(',', false, false, false);
      }
      this.processHeadComment();
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator('}', false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.popState();
      return;
    }
    if (!first && !trail) this.writeIndicator(',', false, false, false);
    this.processHeadComment();
    if (this.column === 0) this.writeIndent();
    if (this.column > this.bestWidth) this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push('FLOW_MAPPING_SIMPLE_VALUE');
      this.emitNode(ev, false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, false);
    this.states.push('FLOW_MAPPING_VALUE');
    this.emitNode(ev, false, false, true, false);
  }

  private emitFlowMappingValue(ev: YamlEvent, simple: boolean) {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      if (this.column > this.bestWidth) this.writeIndent();
      this.writeIndicator(':', true, false, false);
    }
    this.states.push(this.hasTrailingComments() ? 'FLOW_MAPPING_TRAIL_KEY' : 'FLOW_MAPPING_KEY');
    this.emitNode(ev, false, false, true, false);
    if (this.hasTrailingComments()) this.writeIndicator(',', false, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitBlockSequenceItem(ev: YamlEvent, first: boolean) {
    if (first) this.increaseIndent(false, false);
    if (ev.type === 'SEQUENCE_END') {
      this.popIndent();
      this.popState();
      return;
    }
    this.processHeadComment();
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push('BLOCK_SEQUENCE_ITEM');
    this.emitNode(ev, false, true, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitBlockMappingKey(ev: YamlEvent, first: boolean) {
    if (first) this.increaseIndent(false, false);
    this.processHeadComment();
    if (ev.type === 'MAPPING_END') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.lineComment) {
      // A line comment provided for the key: render it after the value (go-yaml behaviour).
      this.keyLineComment = this.lineComment;
      this.lineComment = '';
    }
    if (this.checkSimpleKey()) {
      this.states.push('BLOCK_MAPPING_SIMPLE_VALUE');
      this.emitNode(ev, false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, true);
    this.states.push('BLOCK_MAPPING_VALUE');
    this.emitNode(ev, false, false, true, false);
  }

  private emitBlockMappingValue(ev: YamlEvent, simple: boolean) {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      this.writeIndent();
      this.writeIndicator(':', true, false, true);
    }
    if (this.keyLineComment) {
      if (ev.type === 'SCALAR') {
        if (!this.lineComment) {
          this.lineComment = this.keyLineComment;
          this.keyLineComment = '';
        }
      } else if ((ev.type === 'MAPPING_START' || ev.type === 'SEQUENCE_START') && !(ev.type === 'SEQUENCE_START' && ev.flow)) {
        // An indented block follows, so write the comment right now.
        [this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment];
        this.processLineComment(false);
        [this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment];
      }
    }
    this.states.push('BLOCK_MAPPING_KEY');
    this.emitNode(ev, false, false, true, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitNode(ev: YamlEvent, root: boolean, _sequence: boolean, _mapping: boolean, simpleKey: boolean) {
    this.rootContext = root;
    this.simpleKeyContext = simpleKey;
    switch (ev.type) {
      case 'SCALAR':
        return this.emitScalar(ev);
      case 'SEQUENCE_START':
        this.processTag();
        this.state =
          this.flowLevel > 0 || ev.flow || this.checkEmpty('SEQUENCE_START', 'SEQUENCE_END') ? 'FLOW_SEQUENCE_FIRST_ITEM' : 'BLOCK_SEQUENCE_FIRST_ITEM';
        return;
      case 'MAPPING_START':
        this.processTag();
        this.state =
          this.flowLevel > 0 || ev.flow || this.checkEmpty('MAPPING_START', 'MAPPING_END') ? 'FLOW_MAPPING_FIRST_KEY' : 'BLOCK_MAPPING_FIRST_KEY';
        return;
      default:
        throw new Error(`expected SCALAR, SEQUENCE-START or MAPPING-START, got ${ev.type}`);
    }
  }

  private emitScalar(ev: Extract<YamlEvent, { type: 'SCALAR' }>) {
    this.selectScalarStyle(ev);
    this.processTag();
    this.increaseIndent(true, false);
    this.processScalar();
    this.popIndent();
    this.popState();
  }

  private checkEmpty(start: YamlEvent['type'], end: YamlEvent['type']): boolean {
    if (this.events.length - this.eventsHead < 2) return false;
    return this.events[this.eventsHead].type === start && this.events[this.eventsHead + 1].type === end;
  }

  private checkSimpleKey(): boolean {
    const ev = this.events[this.eventsHead];
    let length = 0;
    switch (ev.type) {
      case 'SCALAR':
        if (this.scalarData.multiline) return false;
        length += this.tagData.handle.length + this.tagData.suffix.length + this.scalarData.value.join('').length;
        break;
      case 'SEQUENCE_START':
        if (!this.checkEmpty('SEQUENCE_START', 'SEQUENCE_END')) return false;
        length += this.tagData.handle.length + this.tagData.suffix.length;
        break;
      case 'MAPPING_START':
        if (!this.checkEmpty('MAPPING_START', 'MAPPING_END')) return false;
        length += this.tagData.handle.length + this.tagData.suffix.length;
        break;
      default:
        return false;
    }
    return length <= 128;
  }

  private selectScalarStyle(ev: Extract<YamlEvent, { type: 'SCALAR' }>) {
    const noTag = this.tagData.handle.length === 0 && this.tagData.suffix.length === 0;
    if (noTag && !ev.implicit && !ev.quotedImplicit) throw new Error('neither tag nor implicit flags are specified');
    let style = ev.style;
    if (this.simpleKeyContext && this.scalarData.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !this.scalarData.flowPlainAllowed) || (this.flowLevel === 0 && !this.scalarData.blockPlainAllowed)) {
        style = 'single';
      }
      if (this.scalarData.value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
      if (noTag && !ev.implicit) style = 'single';
    }
    if (style === 'single' && !this.scalarData.singleQuotedAllowed) style = 'double';
    if ((style === 'literal' || style === 'folded') && (!this.scalarData.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) {
      style = 'double';
    }
    if (noTag && !ev.quotedImplicit && style !== 'plain') this.tagData.handle = '!';
    this.scalarData.style = style;
  }

  private processTag() {
    if (!this.tagData.handle && !this.tagData.suffix) return;
    if (this.tagData.handle) {
      this.writeTagHandle(this.tagData.handle);
      if (this.tagData.suffix) this.writeTagContent(this.tagData.suffix, false);
    } else {
      this.writeIndicator('!<', true, false, false);
      this.writeTagContent(this.tagData.suffix, false);
      this.writeIndicator('>', false, false, false);
    }
  }

  private processScalar() {
    const v = this.scalarData.value;
    switch (this.scalarData.style) {
      case 'plain':
        return this.writePlainScalar(v, !this.simpleKeyContext);
      case 'single':
        return this.writeSingleQuotedScalar(v, !this.simpleKeyContext);
      case 'double':
        return this.writeDoubleQuotedScalar(v, !this.simpleKeyContext);
      case 'literal':
        return this.writeLiteralScalar(v);
      case 'folded':
        return this.writeFoldedScalar(v);
    }
  }

  private processHeadComment() {
    if (this.tailComment) {
      this.writeIndent();
      this.writeComment(this.tailComment);
      this.tailComment = '';
      this.footIndent = this.indent < 0 ? 0 : this.indent;
    }
    if (!this.headComment) return;
    this.writeIndent();
    this.writeComment(this.headComment);
    this.headComment = '';
  }

  private processLineComment(linebreak: boolean) {
    if (!this.lineComment) {
      if (linebreak) this.putBreak();
      return;
    }
    if (!this.whitespace) this.put(' ');
    this.writeComment(this.lineComment);
    this.lineComment = '';
  }

  private processFootComment() {
    if (!this.footComment) return;
    this.writeIndent();
    this.writeComment(this.footComment);
    this.footComment = '';
    this.footIndent = this.indent < 0 ? 0 : this.indent;
  }

  private analyzeTag(tag: string) {
    for (const d of this.tagDirectives) {
      if (tag.startsWith(d.prefix)) {
        this.tagData.handle = d.handle;
        this.tagData.suffix = tag.slice(d.prefix.length);
        return;
      }
    }
    this.tagData.suffix = tag;
  }

  private analyzeScalar(value: string) {
    const chars = Array.from(value);
    const sd = this.scalarData;
    sd.value = chars;
    if (chars.length === 0) {
      sd.multiline = false;
      sd.flowPlainAllowed = false;
      sd.blockPlainAllowed = true;
      sd.singleQuotedAllowed = true;
      sd.blockAllowed = false;
      return;
    }
    let blockIndicators = false;
    let flowIndicators = false;
    let lineBreaks = false;
    let specialCharacters = false;
    let tabCharacters = false;
    let leadingSpace = false;
    let leadingBreak = false;
    let trailingSpace = false;
    let trailingBreak = false;
    let breakSpace = false;
    let spaceBreak = false;
    let previousSpace = false;
    let previousBreak = false;

    if (value.startsWith('---') || value.startsWith('...')) {
      blockIndicators = true;
      flowIndicators = true;
    }
    let precededByWhitespace = true;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
      if (i === 0) {
        if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
          flowIndicators = true;
          blockIndicators = true;
        } else if (c === '?' || c === ':') {
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
        } else if (c === '-' && followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      } else {
        if (',?[]{}'.includes(c)) {
          flowIndicators = true;
        } else if (c === ':') {
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
        } else if (c === '#' && precededByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
      if (c === '\t') tabCharacters = true;
      else if (!isPrintable(c)) specialCharacters = true;

      if (isSpace(c)) {
        if (i === 0) leadingSpace = true;
        if (i + 1 === chars.length) trailingSpace = true;
        if (previousBreak) breakSpace = true;
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        if (i === 0) leadingBreak = true;
        if (i + 1 === chars.length) trailingBreak = true;
        if (previousSpace) spaceBreak = true;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isBlankz(c);
    }

    sd.multiline = lineBreaks;
    sd.flowPlainAllowed = true;
    sd.blockPlainAllowed = true;
    sd.singleQuotedAllowed = true;
    sd.blockAllowed = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      sd.flowPlainAllowed = false;
      sd.blockPlainAllowed = false;
    }
    if (trailingSpace) sd.blockAllowed = false;
    if (breakSpace) {
      sd.flowPlainAllowed = false;
      sd.blockPlainAllowed = false;
      sd.singleQuotedAllowed = false;
    }
    if (spaceBreak || tabCharacters || specialCharacters) {
      sd.flowPlainAllowed = false;
      sd.blockPlainAllowed = false;
      sd.singleQuotedAllowed = false;
    }
    if (spaceBreak || specialCharacters) sd.blockAllowed = false;
    if (lineBreaks) {
      sd.flowPlainAllowed = false;
      sd.blockPlainAllowed = false;
    }
    if (flowIndicators) sd.flowPlainAllowed = false;
    if (blockIndicators) sd.blockPlainAllowed = false;
  }

  private analyzeEvent(ev: YamlEvent) {
    this.tagData = { handle: '', suffix: '' };
    this.scalarData.value = [];
    if ('head' in ev && ev.head) this.headComment = ev.head;
    if ('line' in ev && ev.line) this.lineComment = ev.line;
    if ('foot' in ev && ev.foot) this.footComment = ev.foot;
    if ('tail' in ev && ev.tail) this.tailComment = ev.tail;
    if (ev.type === 'SCALAR') {
      if (ev.tag && !ev.implicit && !ev.quotedImplicit) this.analyzeTag(ev.tag);
      this.analyzeScalar(ev.value);
    } else if ((ev.type === 'SEQUENCE_START' || ev.type === 'MAPPING_START') && ev.tag && !ev.implicit) {
      this.analyzeTag(ev.tag);
    }
  }

  // ---- scalar writers ------------------------------------------------------

  private writePlainScalar(v: string[], allowBreaks: boolean) {
    if (v.length > 0 && !this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && !isSpace(v[i + 1])) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (v.length > 0) this.whitespace = false;
    this.indention = false;
    if (this.rootContext) this.openEnded = true;
  }

  private writeSingleQuotedScalar(v: string[], allowBreaks: boolean) {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < v.length - 1 && !isSpace(v[i + 1])) {
          this.writeIndent();
        } else {
          this.write(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuotedScalar(v: string[], allowBreaks: boolean) {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
        const cp = c.codePointAt(0) as number;
        this.put('\\');
        const simple: Record<number, string> = {
          0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
          0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
        };
        if (simple[cp] !== undefined) {
          this.put(simple[cp]);
        } else {
          const [letter, w] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(letter as string);
          for (const d of cp.toString(16).toUpperCase().padStart(w as number, '0')) this.put(d);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < v.length - 1) {
          this.writeIndent();
          if (isSpace(v[i + 1])) this.put('\\');
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBlockScalarHints(v: string[]) {
    if (isSpace(v[0]) || isBreak(v[0])) this.writeIndicator(String(this.bestIndent), false, false, false);
    this.openEnded = false;
    let chomp = '';
    if (v.length === 0) {
      chomp = '-';
    } else {
      const last = v.length - 1;
      if (!isBreak(v[last])) chomp = '-';
      else if (last === 0) {
        chomp = '+';
        this.openEnded = true;
      } else if (isBreak(v[last - 1])) {
        chomp = '+';
        this.openEnded = true;
      }
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
  }

  private writeLiteralScalar(v: string[]) {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(v);
    this.processLineComment(true);
    this.whitespace = true;
    let breaks = true;
    for (const c of v) {
      if (isBreak(c)) {
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeFoldedScalar(v: string[]) {
    this.writeIndicator('>', true, false, false);
    this.writeBlockScalarHints(v);
    this.processLineComment(true);
    this.whitespace = true;
    let breaks = true;
    let leadingSpaces = true;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (isBreak(c)) {
        if (!breaks && !leadingSpaces && c === '\n') {
          let k = 0;
          while (isBreak(v[k])) k++;
          if (!isBlankz(v[k])) this.putBreak();
        }
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          leadingSpaces = isBlank(c);
        }
        if (!breaks && isSpace(c) && !isSpace(v[i + 1]) && this.column > this.bestWidth) this.writeIndent();
        else this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
