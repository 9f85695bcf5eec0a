-- wrk script for bench/cards_api.py: 9 in 10 requests look a random card up, 1 in 10
-- reports a card lost that no other request reported. Arguments after "--": the file of
-- card numbers (one per line), the bearer token, the number of wrk threads; or the single
-- argument "healthz" for the bare baseline (GET /healthz only).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("slot", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  healthz = args[1] == "healthz"
  cards = {}
  if healthz then
    return
  end
  for line in io.lines(args[1]) do
    cards[#cards + 1] = line
  end
  headers = {["Authorization"] = "Bearer " .. args[2],
             ["Content-Type"] = "application/json"}
  stride = tonumber(args[3])
  next_loss = slot + 1
  math.randomseed(7 + slot)
end

function request()
  if healthz then
    return wrk.format("GET", "/healthz")
  end
  if math.random() < 0.1 and next_loss <= #cards then
    local card = cards[next_loss]
    next_loss = next_loss + stride
    return wrk.format("POST", "/api/v1/cards/" .. card .. "/report-loss", headers,
                      '{"kind": "temporary"}')
  end
  return wrk.format("GET", "/api/v1/cards/" .. cards[math.random(#cards)], headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d status_errors=%d " ..
    "socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
