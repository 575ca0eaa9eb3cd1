-- wrk script: POSTs the bodies written by payloads.py in rotation, each to its endpoint, and counts non-2xx
-- responses across threads.
local bodies = {}
local paths = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local dir = args[1]
  local targets = {
    { "/v1/log-loss", "seed.json" }, { "/v1/log-loss", "small.json" }, { "/v1/log-loss", "medium.json" },
    { "/v1/log-loss/multiclass", "multiclass.json" }, { "/v1/logistic-regression", "regression.json" },
    { "/v1/log-loss/calibration", "seed.json" }, { "/v1/log-loss/compare", "compare.json" },
    { "/v1/log-loss/chart?kind=losses", "seed.json" },
  }
  for _, target in ipairs(targets) do
    local file = assert(io.open(dir .. "/" .. target[2], "rb"))
    table.insert(paths, target[1])
    table.insert(bodies, file:read("*a"))
    file:close()
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  index = 0
  bad = 0
end

function request()
  index = index % #bodies + 1
  return wrk.format(nil, paths[index], nil, bodies[index])
end

function response(status)
  if status < 200 or status > 299 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
  end
  io.write(string.format("p50: %.2f ms\np99: %.2f ms\nrequests/s: %.0f\nnon-2xx: %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6), total))
end
