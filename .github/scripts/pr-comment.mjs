// One pull-request comment with the rendered diff, created once and updated on every push.
// Called from actions/github-script (see .github/workflows/ci.yml); `commentBody` is unit-tested
// in test/workflows.test.ts.
import { readFileSync } from 'node:fs';

export const MARKER = '<!-- gitops-rendered-diff -->';
/** GitHub rejects comment bodies over 65,536 characters; stay well below. */
export const LIMIT = 60_000;

/**
 * The comment text: the marker, the Markdown cut at a line boundary to fit `limit` (an open code
 * fence is closed so the rest of the comment still renders), and a link to the full output.
 */
export function commentBody(markdown, { limit = LIMIT, url, sha } = {}) {
  const footer = [
    '',
    `Full rendered diff${sha ? ` for ${sha.slice(0, 7)}` : ''}: ${url ? `[artifact](${url})` : 'see the workflow run artifacts'}.`,
  ];
  const head = [MARKER];
  let body = markdown.trimEnd();
  const room = limit - [...head, ...footer].join('\n').length - 200;
  if (body.length > room) {
    const lines = body.slice(0, room).split('\n');
    lines.pop(); // a cut line is dropped whole
    const fences = lines.filter((l) => l.startsWith('```')).length;
    if (fences % 2 === 1) lines.push('```');
    lines.push('', `**Truncated**: the diff is ${markdown.length.toLocaleString('en')} characters; the comment shows the first ${lines.join('\n').length.toLocaleString('en')}.`);
    body = lines.join('\n');
  }
  return [...head, body, ...footer].join('\n');
}

/** Entry point for actions/github-script: create or update the one marked comment. */
export default async function run({ github, context, file, url }) {
  const body = commentBody(readFileSync(file, 'utf8'), { url, sha: context.payload.pull_request?.head?.sha });
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(MARKER));
  if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
}
