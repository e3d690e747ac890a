-- wrk script: GET the paths listed in a file (one per line), in turn, on every connection.
--   wrk -t1 -c32 -d15s --latency -s benchmarks/wrk_rotate.lua http://127.0.0.1:8000 -- paths.txt
-- Requests are encoded once (no Lua work per request but an index); no response() hook,
-- so that wrk does not parse the bodies. wrk counts non-2xx/3xx answers and socket errors.

local requests = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then requests[#requests + 1] = wrk.format("GET", line) end
  end
  counter = math.random(#requests) - 1
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
