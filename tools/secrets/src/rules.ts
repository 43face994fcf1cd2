/**
 * Which leaves get encrypted (`Tree.shouldBeEncrypted`, sops.go:437-513).
 * At most one rule is set per file; with none, `_unencrypted` suffix applies.
 */
import { goMatch } from './go/regexp';

export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';
export const K8S_SECRET_ENCRYPTED_REGEX = '^(data|stringData)$';

export type RuleKind =
  | 'unencrypted_suffix'
  | 'encrypted_suffix'
  | 'unencrypted_regex'
  | 'encrypted_regex'
  | 'unencrypted_comment_regex'
  | 'encrypted_comment_regex';

export const RULE_KINDS: RuleKind[] = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
];

export interface EncryptionRule {
  kind: RuleKind;
  value: string;
}

/** The rule options accepted by encryptDocument and .sops.yaml (camelCase). */
export interface RuleOptions {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  unencryptedCommentRegex?: string;
  encryptedCommentRegex?: string;
}

const OPTION_NAMES: Record<RuleKind, keyof RuleOptions> = {
  unencrypted_suffix: 'unencryptedSuffix',
  encrypted_suffix: 'encryptedSuffix',
  unencrypted_regex: 'unencryptedRegex',
  encrypted_regex: 'encryptedRegex',
  unencrypted_comment_regex: 'unencryptedCommentRegex',
  encrypted_comment_regex: 'encryptedCommentRegex',
};

/** The single rule in `opts`, undefined if none; throws if more than one is set. */
export function ruleFromOptions(opts: RuleOptions): EncryptionRule | undefined {
  const set = RULE_KINDS.filter((k) => {
    const v = opts[OPTION_NAMES[k]];
    return v !== undefined && v !== '';
  });
  if (set.length > 1) {
    throw new Error(`Cannot use more than one of ${RULE_KINDS.join(', ')} (got ${set.join(', ')})`);
  }
  return set.length ? { kind: set[0], value: opts[OPTION_NAMES[set[0]]] as string } : undefined;
}

export function shouldBeEncrypted(rule: EncryptionRule, path: string[], commentsStack: string[][], isComment: boolean): boolean {
  switch (rule.kind) {
    case 'unencrypted_suffix':
      return !path.some((p) => p.endsWith(rule.value));
    case 'encrypted_suffix':
      return path.some((p) => p.endsWith(rule.value));
    case 'unencrypted_regex':
      return !path.some((p) => goMatch(rule.value, p));
    case 'encrypted_regex':
      return path.some((p) => goMatch(rule.value, p));
    case 'unencrypted_comment_regex':
      return !commentsStack.some((cs) => cs.some((c) => goMatch(rule.value, c)));
    case 'encrypted_comment_regex': {
      // The comment that carries the marker itself stays readable: skip the last
      // line of the innermost comment block when the leaf is that comment.
      const last = commentsStack.length - 1;
      const lastLen = last >= 0 ? commentsStack[last].length : 0;
      for (let i = 0; i < commentsStack.length; i++) {
        for (let j = 0; j < commentsStack[i].length; j++) {
          if (isComment && i === last && j === lastLen - 1) continue;
          if (goMatch(rule.value, commentsStack[i][j])) return true;
        }
      }
      return false;
    }
  }
}

/**
 * Whether a value at `path` (mapping keys from the top; list indices do not count, as in the walk)
 * is stored encrypted under `rule`. A comment rule depends on the comments around the value, which
 * a path does not show: false, so a caller that must not write plaintext refuses rather than guesses.
 */
export function isEncryptedPath(rule: EncryptionRule, path: string[]): boolean {
  if (rule.kind === 'encrypted_comment_regex' || rule.kind === 'unencrypted_comment_regex') return false;
  return shouldBeEncrypted(rule, path, [], false);
}
