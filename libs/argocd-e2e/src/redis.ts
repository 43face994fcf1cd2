/**
 * Redis for Argo CD's caches: Debian's `redis-server` on 127.0.0.1 with a free port, no persistence,
 * configured by a file inside the cluster folder. Redis rewrites its process title, so the title
 * template names that config file: `gitops cluster down` recognises the pid as this cluster's by it.
 */
import { processAlive } from '@gitops/core/process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, startDaemon, waitFor, type DaemonProcess } from '@gitops/cluster';
import { UserError } from '@gitops/core';
import { which } from './which';

export interface RedisServer {
  process: DaemonProcess;
  port: number;
  address: string;
}

/** `redis-server`: $REDIS_SERVER_BIN, else on PATH (Debian package redis-server). */
export function redisServerPath(env: NodeJS.ProcessEnv = process.env): string {
  const p = env.REDIS_SERVER_BIN || which('redis-server', env);
  if (!p) throw new UserError('redis-server not found (install the Debian package: apt-get install redis-server, or set REDIS_SERVER_BIN)', 1);
  return p;
}

/** Sends PING, resolves true on +PONG. */
export function ping(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write('PING\r\n'));
    s.setTimeout(2_000, () => {
      s.destroy();
      res(false);
    });
    s.on('data', (d) => {
      s.destroy();
      res(d.toString().startsWith('+PONG'));
    });
    s.on('error', () => res(false));
  });
}

export async function startRedis(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<RedisServer> {
  const bin = redisServerPath(env);
  const data = join(dir, 'redis');
  mkdirSync(data, { recursive: true });
  const port = await freePort();
  const conf = join(data, 'redis.conf');
  writeFileSync(
    conf,
    [
      'bind 127.0.0.1',
      `port ${port}`,
      'protected-mode yes',
      // A cache: nothing is written to disk.
      'save ""',
      'appendonly no',
      `dir ${data}`,
      'proc-title-template "{title} {listen-addr} {config-file}"',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const process = startDaemon('redis-server', bin, [conf], join(dir, 'redis.log'));
  await waitFor('redis-server PING', async () => {
    if (!processAlive(process.pid)) throw new Error(`redis-server exited (log ${join(dir, 'redis.log')})`);
    return ping(port);
  }, 30_000);
  return { process, port, address: `127.0.0.1:${port}` };
}
