/** What the CLI prints: human lines on stdout, or one JSON document with `--json`; progress on stderr. */
export type Output = {
  json: boolean;
  /** A line for people (suppressed with --json). */
  line(text: string): void;
  /** The machine result (printed once, as JSON, with --json). */
  result(value: unknown): void;
  /** A progress line on stderr for long pulls and pushes: `[3/40] pushed support/triage`. */
  progress(done: number, total: number, what: string): void;
  warn(text: string): void;
};

export function createOutput(json: boolean, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Output {
  return {
    json,
    line: (text) => {
      if (!json) out.write(`${text}\n`);
    },
    result: (value) => {
      if (json) out.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    progress: (done, total, what) => {
      if (total > 1) err.write(`[${done}/${total}] ${what}\n`);
    },
    warn: (text) => err.write(`warning: ${text}\n`),
  };
}
