/**
 * Errors answered to callers, counted by their `extensions.code` for GET /metrics (`<metric>{code="…"}`): what
 * an operator reads to tell a wave of BAD_USER_INPUT from one of UNAVAILABLE or INTERNAL_SERVER_ERROR.
 */
export type CodeCounter = {
  add(code: string | undefined): void;
  /** Prometheus lines, one per code seen since start. */
  lines(): string[];
};

export function createCodeCounter(metric: string): CodeCounter {
  const counts = new Map<string, number>();
  return {
    add(code) {
      const key = code ?? 'INTERNAL_SERVER_ERROR';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    lines: () => [...counts].map(([code, n]) => `${metric}{code="${code}"} ${n}`),
  };
}
