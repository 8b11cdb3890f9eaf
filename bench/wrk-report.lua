-- Prints one machine-readable line after a wrk run: requests, errors, non-2xx, rps, latency percentiles (µs).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d errors=%d non2xx=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, errors, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
