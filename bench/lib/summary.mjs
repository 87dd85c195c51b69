// Percentiles of a list of timings (ms). Shared by the bench page and the Node driver.
export function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), min: s[0], max: s[s.length - 1], mean };
}
