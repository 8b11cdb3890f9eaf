-- Anonymous top-level navigations (Accept: text/html, Sec-Fetch-Mode: navigate), each to a new path of about 3 KB,
-- on a route that needs a login: every one starts a login and stores a pre-login session. After FLOOD_REQUESTS
-- answers the thread stops and writes the file FLOOD_MARKER; wrk's main thread sleeps for its whole -d regardless,
-- so the caller sends it SIGINT on seeing the file, and wrk reports at once. The last line is machine-readable
-- (requests, answers other than 302, connection errors, rate, p99 in us).
local limit = tonumber(os.getenv("FLOOD_REQUESTS") or "50000")
local chunk = os.getenv("FLOOD_CHUNK") or "0"
local host = os.getenv("FLOOD_HOST") or "portal.localhost"
local marker = os.getenv("FLOOD_MARKER")
local pad = string.rep("p", 3000)
local sent, answered, not302 = 0, 0, 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  sent = sent + 1
  return wrk.format("GET", "/" .. pad .. "/" .. chunk .. "-" .. sent,
    { Host = host, Accept = "text/html,application/xhtml+xml,*/*;q=0.8", ["Sec-Fetch-Mode"] = "navigate" })
end

response = function(status, headers, body)
  answered = answered + 1
  if status ~= 302 then not302 = not302 + 1 end
  if answered == limit then
    if marker then
      local f = io.open(marker, "w")
      f:write("done\n")
      f:close()
    end
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("not302") or 0) end
  io.write(string.format("FLOOD requests=%d not302=%d errors=%d rps=%.1f p99_us=%d\n", summary.requests, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(99)))
end
