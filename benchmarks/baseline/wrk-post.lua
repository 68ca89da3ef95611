-- wrk script: POST the body in env WRK_BODY (a file) as JSON; at the end print one line of figures in µs
-- (wrk keeps latencies in µs): rps, p50, p99, p999, errors (non-2xx + socket errors), like `sentinel bench`.
local path = os.getenv("WRK_BODY")
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f errors=%d requests=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    errors, summary.requests))
end
