/**
 * E-mail in tests: a real SMTP server process (helpers/smtp-server-process.mjs) and what it received,
 * each message with its text body decoded (quoted-printable soft breaks undone), to read links from.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string };
export type SmtpServerProcess = {
  url: string;
  mails: ReceivedMail[];
  waitFor(to: string, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
};

function decode(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*quoted-printable/i.test(headers))
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  else if (/content-transfer-encoding:\s*base64/i.test(headers)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { subject: /^subject:\s*(.*)$/im.exec(headers)?.[1]?.trim() ?? '', text: body };
}

export async function startSmtpServer(): Promise<SmtpServerProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'smtp-server-process.mjs')], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const mails: ReceivedMail[] = [];
  let out = '';
  let pending = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP server did not start:\n${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const ready = /^ready (\d+)$/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve(Number(ready[1]));
        } else if (line.startsWith('mail ')) {
          const m = JSON.parse(line.slice(5)) as { from: string; to: string[]; raw: string };
          mails.push({ from: m.from, to: m.to, ...decode(m.raw) });
        } else out += `${line}\n`;
      }
    });
    void exited.then(() => reject(new Error(`SMTP server exited:\n${out}`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const mine = () => mails.filter((m) => m.to.includes(to));
      while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (mine().length < count) throw new Error(`no mail for ${to} within ${timeoutMs} ms (got ${mails.length} for others)\n${out}`);
      return mine();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
