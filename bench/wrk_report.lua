-- wrk script for bench/load.py: sets the method, headers and body from the
-- arguments after "--", numbers each request body uniquely where it holds
-- __N__ (a registration needs a new email address each time), and prints the
-- result as one JSON line that load.py reads.
--
--   wrk ... URL -- METHOD BODY "Header: value" ...

local counter = 0
thread_id = 0  -- a global: setup() sets it in each thread
local body_template = nil
local fixed_request = nil

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  wrk.method = args[1] or "GET"
  for i = 3, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
  if args[2] and args[2] ~= "" then
    if args[2]:find("__N__", 1, true) then
      body_template = args[2]
    else
      wrk.body = args[2]
    end
  end
  if not body_template then
    fixed_request = wrk.format()
  end
end

function request()
  if fixed_request then return fixed_request end
  counter = counter + 1
  local body = body_template:gsub("__N__", "w" .. thread_id .. "x" .. counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50.0), latency:percentile(95.0),
    latency:percentile(99.0), e.connect, e.read, e.write, e.status, e.timeout))
end
