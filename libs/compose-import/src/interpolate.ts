/**
 * Compose variable interpolation, as `docker compose` does it: `$VAR`, `${VAR}`,
 * `${VAR:-default}` / `${VAR-default}` (unset-or-empty / unset), `${VAR:?err}` / `${VAR?err}`,
 * `${VAR:+alt}` / `${VAR+alt}`, defaults that nest (`${A:-${B}}`), and `$$` for a literal `$`.
 */
export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Interpolate one string; `where` names the field in error messages. */
export function interpolate(text: string, lookup: Lookup, where: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2, where);
      out += braced(text.slice(i + 2, end), lookup, where);
      i = end + 1;
    } else {
      const m = NAME.exec(text.slice(i + 1));
      if (!m) {
        out += '$';
        i++;
      } else {
        out += lookup(m[0]) ?? '';
        i += 1 + m[0].length;
      }
    }
  }
  return out;
}

function closingBrace(text: string, from: number, where: string): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '$' && text[j + 1] === '$') {
      j++;
    } else if (text[j] === '$' && text[j + 1] === '{') {
      depth++;
      j++;
    } else if (text[j] === '}' && --depth === 0) return j;
  }
  throw new InterpolationError(`${where}: unterminated "\${" in ${JSON.stringify(text)}`);
}

function braced(expr: string, lookup: Lookup, where: string): string {
  const m = NAME.exec(expr);
  if (!m) throw new InterpolationError(`${where}: invalid interpolation format "\${${expr}}"`);
  const name = m[0];
  const rest = expr.slice(name.length);
  const value = lookup(name);
  if (!rest) return value ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new InterpolationError(`${where}: invalid interpolation format "\${${expr}}"`);
  const arg = rest.slice(op.length);
  const unsetOrEmpty = value === undefined || value === '';
  const missing = op.startsWith(':') ? unsetOrEmpty : value === undefined;
  switch (op.replace(':', '')) {
    case '-':
      return missing ? interpolate(arg, lookup, where) : value!;
    case '?':
      if (missing) throw new InterpolationError(`${where}: required variable ${name} is missing a value${arg ? `: ${interpolate(arg, lookup, where)}` : ''}`);
      return value!;
    default: // '+'
      return missing ? '' : interpolate(arg, lookup, where);
  }
}

/** Interpolate every string value (not keys) of a parsed YAML tree; `path` names fields. */
export function interpolateTree(node: unknown, lookup: Lookup, path: string): unknown {
  if (typeof node === 'string') return interpolate(node, lookup, path);
  if (Array.isArray(node)) return node.map((v, i) => interpolateTree(v, lookup, `${path}[${i}]`));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = interpolateTree(v, lookup, path ? `${path}.${k}` : k);
    return out;
  }
  return node;
}
