/**
 * A private redis-server on a free loopback port, for outage tests: stop and restart it without
 * touching the shared Redis on 6379.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function ping(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

export type PrivateRedis = { port: number; url: string; start(): Promise<void>; stop(): Promise<void>; cli(...args: string[]): Promise<string> };

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const pidfile = path.join(os.tmpdir(), `pm-test-redis-${port}.pid`);
  const redis: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      await run('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
        '--pidfile',
        pidfile,
      ]);
      const deadline = Date.now() + 5000;
      while (!(await ping(port))) {
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
      const deadline = Date.now() + 5000;
      while (await ping(port)) {
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not stop`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async cli(...args) {
      return (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
    },
  };
  await redis.start();
  return redis;
}
