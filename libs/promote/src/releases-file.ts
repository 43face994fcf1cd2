/** Edits a releases.yaml in place: comments, order, flow style and quoting of the other entries survive. */
import { isScalar, parseDocument, Scalar } from 'yaml';
import { parseReleases, UserError, type EnvName, type Releases } from '@gitops/core';

export interface ReleaseEdit {
  repository: string;
  env: string;
  value: string;
}

/** The new file text and what it parses to (checked by the same reader the platforms use). */
export function editReleases(text: string, file: string, edits: ReleaseEdit[]): { text: string; releases: Releases } {
  const doc = parseDocument(text);
  for (const e of edits) {
    const node = doc.getIn(['images', e.repository, e.env], true);
    if (isScalar(node)) node.value = e.value;
    else {
      // Always quoted: an unquoted 2026.02 would read back as a number.
      const scalar = new Scalar(e.value);
      scalar.type = Scalar.QUOTE_DOUBLE;
      doc.setIn(['images', e.repository, e.env], scalar);
    }
  }
  const out = doc.toString({ lineWidth: 0 });
  const releases = parseReleases(out, file);
  // Only the edited values may change: a YAML anchor (`staging: &v "1.0"`, `prod: *v`) or a merge
  // key would carry an edit into other environments, which the promotion never showed nor checked.
  const before = parseReleases(text, file);
  const edited = new Set(edits.map((e) => `${e.repository}\0${e.env}`));
  for (const repo of new Set([...Object.keys(before), ...Object.keys(releases)])) {
    const envs = new Set([...Object.keys(before[repo] ?? {}), ...Object.keys(releases[repo] ?? {})] as EnvName[]);
    for (const env of envs) {
      if (edited.has(`${repo}\0${env}`) || before[repo]?.[env] === releases[repo]?.[env]) continue;
      throw new UserError(
        `${file}: images["${repo}"].${env} would change too (${before[repo]?.[env] ?? '(none)'} -> ${releases[repo]?.[env] ?? '(none)'}), because it shares its value with an edited entry through a YAML anchor or merge key: write each environment's value out, then promote`,
        2,
      );
    }
  }
  return { text: out, releases };
}
