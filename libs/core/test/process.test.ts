import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { processAlive } from '../src/process';

describe('processAlive', () => {
  it('is true for a running process and false once it has exited and been reaped', async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    await once(child, 'spawn');
    expect(processAlive(child.pid!)).toBe(true);
    child.stdin!.end();
    await once(child, 'exit');
    expect(processAlive(child.pid!)).toBe(false);
  });

  it('is true for this process', () => {
    expect(processAlive(process.pid)).toBe(true);
  });
});
