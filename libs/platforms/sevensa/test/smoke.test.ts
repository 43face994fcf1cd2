import { beforeAll, expect, it } from 'vitest';
import { renderForTest, renderVsCompile, type RenderedPlatform } from '@gitops/pipeline';
let r: RenderedPlatform;
beforeAll(async () => { r = await renderForTest('sevensa'); });
it('renders exactly what was compiled', () => { expect(renderVsCompile(r)).toEqual([]); });
