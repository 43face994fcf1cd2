/**
 * The site in a real browser: Debian's chromium through playwright-core, headless, fresh profile,
 * no network. Every page loads without a console error or a failed load, no request leaves
 * file://, the graphs are drawn (SVG nodes and edges present), and a screenshot per platform is
 * written to tmp/test-output/report/screenshots (git-ignored) for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildReport, writeReport } from '../src';

const repo = resolve(__dirname, '../../..');
const OUT = join(repo, 'tmp/test-output/report');
const SITE = join(OUT, 'site');
const SHOTS = join(OUT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
let context: BrowserContext;
let profile: string;
let pages: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_BIN); .ci/run installs it`);
  const report = await buildReport({ root: repo });
  writeReport(SITE, report.files);
  pages = [...report.files.keys()];
  mkdirSync(SHOTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'gitops-report-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('report site in chromium', () => {
  it('every page loads from disk with no console error and no request outside file://', async () => {
    const problems: string[] = [];
    const outside: string[] = [];
    for (const name of pages) {
      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && problems.push(`${name}: console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`${name}: failed ${r.url()}`));
      page.on('request', (r) => !r.url().startsWith('file://') && outside.push(`${name}: ${r.url()}`));
      const res = await page.goto(pathToFileURL(join(SITE, name)).href, { waitUntil: 'load' });
      expect(res?.ok() ?? true, name).toBe(true);
      // Links between pages resolve inside the site.
      for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href))) {
        if (!href.startsWith('file://')) outside.push(`${name}: link ${href}`);
        else expect(existsSync(new URL(href.split('#')[0]).pathname), `${name} links to ${href}`).toBe(true);
      }
      await page.close();
    }
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('the index lists every platform and environment', async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(SITE, 'index.html')).href);
    expect(await page.locator('table.index tbody th a').allTextContents()).toEqual(['cptm8', 'hyperpage', 'ms5', 'platform9', 'sevensa']);
    expect(await page.locator('table.index thead th').allTextContents()).toEqual(['platform', 'dev', 'staging', 'prod']);
    await page.screenshot({ path: join(SHOTS, 'index.png'), fullPage: true });
    await page.close();
  });

  it('each platform page draws its graphs and highlights differences; a screenshot per platform', async () => {
    for (const name of pages.filter((p) => p !== 'index.html')) {
      const page = await context.newPage();
      await page.goto(pathToFileURL(join(SITE, name)).href);
      const nodes = await page.locator('svg.graph g.node').count();
      const edges = await page.locator('svg.graph polyline.edge').count();
      expect(nodes, `${name}: graph nodes`).toBeGreaterThan(0);
      expect(edges, `${name}: graph edges`).toBeGreaterThan(0);
      // Laid out: nodes sit at distinct positions inside their drawing.
      const overlaps = await page.locator('svg.graph').evaluateAll((svgs) =>
        svgs.filter((s) => {
          const at = [...s.querySelectorAll('g.node rect')].map((r) => `${r.getAttribute('x')},${r.getAttribute('y')}`);
          return new Set(at).size !== at.length;
        }).length,
      );
      expect(overlaps, `${name}: drawings with two nodes at one place`).toBe(0);
      expect(await page.locator('table.matrix td.differs').count(), `${name}: differences highlighted`).toBeGreaterThan(0);
      const shot = join(SHOTS, name.replace(/\.html$/, '.png'));
      await page.screenshot({ path: shot, fullPage: false });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      await page.close();
    }
  });
});
