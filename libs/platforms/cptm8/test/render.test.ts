import { describe, expect, it, beforeAll } from 'vitest';
import { renderForTest, renderVsCompile, type RenderedPlatform } from '@gitops/pipeline';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

describe('cptm8 smoke', () => {
  it('renders exactly what was compiled', () => {
    expect(renderVsCompile(r)).toEqual([]);
  });
});
