-- wrk script: a CTI adapter's traffic, two events per contact: a contact arrives
-- (POST /api/v1/contacts), and a later request reports that caller hanging up
-- (POST /api/v1/contacts/{id}/abandon), which finishes its contact record. Each wrk
-- thread keeps the ids its arrivals got back; every other request abandons the oldest.
-- Authenticated with an API key (env HOTLINE_KEY).
local key = os.getenv("HOTLINE_KEY")
local queue = os.getenv("HOTLINE_QUEUE") or "1"
local headers = {["Content-Type"] = "application/json", ["X-API-Key"] = key}
local body = '{"queue_id":' .. queue .. ',"customer_id":"LOAD-TEST","attributes":{"language":"zh-CN"}}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  first, last = 1, 0
  turn = 0
  arrived, abandoned, other = 0, 0, 0
end

function request()
  turn = turn + 1
  if turn % 2 == 0 and first <= last then
    local id = ids[first]
    ids[first] = nil
    first = first + 1
    return wrk.format("POST", "/api/v1/contacts/" .. id .. "/abandon", headers, nil)
  end
  return wrk.format("POST", "/api/v1/contacts", headers, body)
end

function response(status, hdrs, resp)
  if status == 201 then
    arrived = arrived + 1
    local id = resp:match('"contact_id":(%d+)')
    if id then
      last = last + 1
      ids[last] = id
    end
  elseif status == 200 then
    abandoned = abandoned + 1
  else
    other = other + 1
    if other <= 3 then
      io.stderr:write("unexpected status " .. status .. ": " .. resp .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local a, b, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("arrived")
    b = b + t:get("abandoned")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT created=%d abandoned=%d other=%d requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    a, b, o, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
