import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { coverageMarkdown } from '../src/report';

describe('README.md', () => {
  it('has the coverage table the code reports', () => {
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain(coverageMarkdown());
  });
});
