/** Where in a platform spec a problem is: platform / app / component / field. */
export interface SpecLocation {
  platform: string;
  app?: string;
  component?: string;
  field?: string;
}

export function formatLocation(loc: SpecLocation): string {
  const parts = [`platform "${loc.platform}"`];
  if (loc.app) parts.push(`app "${loc.app}"`);
  if (loc.component) parts.push(`component "${loc.component}"`);
  if (loc.field) parts.push(`field "${loc.field}"`);
  return parts.join(', ');
}

export interface SpecIssue extends SpecLocation {
  message: string;
}

/** An invalid platform spec. Carries every problem found, not just the first. */
export class SpecError extends Error {
  readonly issues: SpecIssue[];
  constructor(issues: SpecIssue[]) {
    super(
      `invalid platform spec (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${formatLocation(i)}: ${i.message}`).join('\n'),
    );
    this.name = 'SpecError';
    this.issues = issues;
  }
}

/** A failure with a message meant for a person; the CLI prints it without a stack. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}
