// A real SMTP server (the smtp-server package) for the e-mail tests, run as its own process:
//   node smtp-server-process.mjs
// It listens on a free loopback port, prints `ready <port>`, and prints every message it accepts as
// one line `mail <json>`: { from, to: [...], raw } (the whole message as received, DATA included).
/* global process, console */
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (d) => (raw += d));
    stream.on('end', () => {
      const mail = { from: session.envelope.mailFrom && session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw };
      console.log(`mail ${JSON.stringify(mail)}`);
      callback();
    });
  },
});
server.on('error', (err) => console.error(`smtp error ${err.message}`));
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
