-- wrk script for bench/load.py: sets the method, headers and body from the
-- arguments after "--", numbers each request body uniquely where it holds
-- __N__ (a registration needs a new email address each time), gives each request
-- an address of its own where a header holds __IP__ (X-Forwarded-For: each POST
-- from another visitor, as rate limits count per address), and prints the result
-- as one JSON line that load.py reads.
--
--   wrk ... URL -- METHOD BODY "Header: value" ...

local counter = 0
thread_id = 0  -- a global: setup() sets it in each thread
local body_template = nil
local address_headers = {}
local fixed_request = nil

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  wrk.method = args[1] or "GET"
  for i = 3, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    if name then
      if value:find("__IP__", 1, true) then
        address_headers[name] = value
      else
        wrk.headers[name] = value
      end
    end
  end
  if args[2] and args[2] ~= "" then
    if args[2]:find("__N__", 1, true) then
      body_template = args[2]
    else
      wrk.body = args[2]
    end
  end
  if not body_template and next(address_headers) == nil then
    fixed_request = wrk.format()
  end
end

function request()
  if fixed_request then return fixed_request end
  counter = counter + 1
  for name, value in pairs(address_headers) do
    -- 172.16.0.0/12, apart from the single requests' 10.0.0.0/8.
    local n = thread_id * 1000000 + counter
    local ip = string.format("172.%d.%d.%d", 16 + math.floor(n / 65536) % 16, math.floor(n / 256) % 256, n % 256)
    wrk.headers[name] = value:gsub("__IP__", ip)
  end
  local body = nil
  if body_template then
    body = body_template:gsub("__N__", "w" .. thread_id .. "x" .. counter)
  end
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "bytes": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.bytes, summary.duration, latency:percentile(50.0), latency:percentile(95.0),
    latency:percentile(99.0), e.connect, e.read, e.write, e.status, e.timeout))
end
