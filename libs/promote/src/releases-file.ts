/** Edits a releases.yaml in place: comments, order, flow style and quoting of the other entries survive. */
import { isScalar, parseDocument, Scalar } from 'yaml';
import { parseReleases, type Releases } from '@gitops/core';

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
  return { text: out, releases: parseReleases(out, file) };
}
