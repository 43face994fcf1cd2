/**
 * Issue 19 item 3 through the real CLI: `gitops generate` interrupted at a named step of its write
 * (GITOPS_WRITE_FAULT makes the writer signal itself) leaves the tree as it was and exits 128 + signal;
 * after a SIGKILL the next run rolls the leftover staging folder back, removes it and writes the new tree.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { bin, SAMPLE_SPEC, sampleRepo, snapshot, type SampleRepo } from './sample-repo';

let r: SampleRepo;
beforeAll(() => {
  r = sampleRepo('gitops-interrupt-');
});
afterAll(() => r.cleanup());

const generate = (fault?: string) =>
  execa('node', [bin, 'generate', 'sample'], { cwd: r.root, reject: false, env: { GITOPS_ROOT: r.root, ...(fault ? { GITOPS_WRITE_FAULT: fault } : {}) } });
const staging = () => readdirSync(r.root).filter((f) => f.startsWith('.gitops-staging-'));

describe('gitops generate interrupted', () => {
  it('SIGTERM mid-swap: exit 143, every file as it was; SIGKILL: the next run recovers', async () => {
    expect((await generate()).exitCode).toBe(0);
    // A spec change that rewrites many files, and the file the issue saw go missing.
    r.setSpec(SAMPLE_SPEC.replace('containerPort: 8080', 'containerPort: 8081'));
    rmSync(join(r.root, 'environments/dev/sample/namespace.yaml'), { force: true });
    const before = snapshot(join(r.root, 'environments'));

    const term = await generate('swap:2:SIGTERM');
    expect(term.exitCode).toBe(143);
    expect(term.stderr).toContain('interrupted by SIGTERM: the write was rolled back');
    expect(snapshot(join(r.root, 'environments'))).toEqual(before);
    expect(staging()).toEqual([]);

    const kill = await generate('swap:2:SIGKILL');
    expect(kill.signal).toBe('SIGKILL');
    expect(staging()).toHaveLength(1);

    const rerun = await generate();
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stderr).toMatch(/rolled back and removed \.gitops-staging-\d+-[0-9a-f]+, left by an interrupted generate/);
    expect(staging()).toEqual([]);
    expect(existsSync(join(r.root, 'environments/dev/sample/namespace.yaml'))).toBe(true);
    expect(readFileSync(join(r.root, 'environments/base/sample/api.yaml'), 'utf8')).toContain('8081');
    expect((await execa('node', [bin, 'generate', 'sample', '--check'], { cwd: r.root, reject: false, env: { GITOPS_ROOT: r.root } })).exitCode).toBe(0);
  });
});
