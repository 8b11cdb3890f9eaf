-- A fixed request rate for wrk (which, unlike wrk2, has no -R): one schedule per wrk thread, a slot every
-- 1000 / SOAK_RATE ms (SOAK_RATE: requests/s for the thread, so run wrk with -t1). Before each request wrk asks
-- delay() how long to wait; the connection takes the next free slot and waits until it. With enough connections
-- (each has one request in flight) the rate holds while the gateway keeps up; when it falls behind, requests go
-- out at once until the schedule is caught up, but never more than 1 s of backlog is made up (no burst after a
-- stall). Latency is wrk's: from the request's write to its response (service time, not corrected for a late send).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
  int clock_gettime(int clk_id, soak_timespec *tp);
]]
local ts = ffi.new("soak_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval = 1000 / assert(tonumber(os.getenv("SOAK_RATE")), "SOAK_RATE (requests/s) is not set")
local next_slot = nil

delay = function()
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then next_slot = now end
  local wait = next_slot - now
  next_slot = next_slot + interval
  if wait <= 0 then return 0 end
  return math.floor(wait + 0.5)
end

dofile(os.getenv("BENCH") .. "/wrk-report.lua")
