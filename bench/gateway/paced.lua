-- wrk: each connection waits BENCH_DELAY_MS between requests, so N connections send about
-- N * 1000 / BENCH_DELAY_MS requests per second. A POST body comes from BENCH_BODY when set.
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS"))
local body = os.getenv("BENCH_BODY")
if body and #body > 0 then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function delay()
  return delay_ms
end
