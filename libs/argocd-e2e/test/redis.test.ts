/**
 * Redis as Argo CD's cache: Debian's redis-server on 127.0.0.1 only, answering PING, and recognisable
 * by the cluster folder in its process title so `gitops cluster down` stops it by pid.
 */
import { processAlive } from '@gitops/core/process';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ours, stopDaemon } from '@gitops/cluster';
import { ping, redisServerPath, startRedis, type RedisServer } from '../src';
import { missing } from './support';

const hasRedis = () => {
  try {
    return !!redisServerPath();
  } catch {
    return false;
  }
};

describe.skipIf(!!missing([{ name: 'redis-server', found: hasRedis }]))('redis-server for Argo CD', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-redis-'));
  let redis: RedisServer | undefined;
  afterAll(async () => {
    if (redis) await stopDaemon(redis.process, dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1, answers PING, is ours by its title, stops by pid', async () => {
    redis = await startRedis(dir);
    expect(redis.address).toBe(`127.0.0.1:${redis.port}`);
    expect(await ping(redis.port)).toBe(true);
    expect(readFileSync(join(dir, 'redis', 'redis.conf'), 'utf8')).toMatch(/^bind 127\.0\.0\.1$/m);
    expect(ours(redis.process.pid, dir)).toBe(true);
    expect(ours(redis.process.pid, '/some/other/cluster')).toBe(false);
    expect(await stopDaemon(redis.process, dir)).toBe(true);
    expect(processAlive(redis.process.pid)).toBe(false);
    expect(await ping(redis.port)).toBe(false);
    redis = undefined;
  });
});
