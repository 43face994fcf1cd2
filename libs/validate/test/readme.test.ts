import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { rulesMarkdown } from '../src/rules';
import { TEST_DIR } from './helpers';

it('README rule table matches RULES', () => {
  const readme = readFileSync(join(TEST_DIR, '../README.md'), 'utf8');
  const table = /<!-- rules:begin[^>]*-->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
  expect(table).toBe(rulesMarkdown());
});
