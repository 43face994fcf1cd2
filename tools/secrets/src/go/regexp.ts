/**
 * Go RE2 patterns (encryption rules, `.sops.yaml` path_regex) evaluated with JS RegExp.
 * Go's `regexp.Match`/`MatchString` is unanchored; so is `RegExp.test`.
 * Only the syntax that differs between the dialects is translated.
 */
const cache = new Map<string, RegExp>();

export function compileGoRegexp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let src = pattern;
  let flags = '';
  // Leading flag group such as (?i) or (?is).
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  let re: RegExp;
  try {
    re = new RegExp(src, flags + 'u');
  } catch {
    try {
      re = new RegExp(src, flags);
    } catch (e) {
      throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
  cache.set(pattern, re);
  return re;
}

export function goMatch(pattern: string, text: string): boolean {
  return compileGoRegexp(pattern).test(text);
}
