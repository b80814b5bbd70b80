-- wrk script (bench/wrk): POST /stamp with a new 1 KiB content every request, so that every request
-- creates a record (the path a stamping service exists for). Contents differ across threads by
-- the thread's number and across runs by RUN_ID; the key comes from API_KEY (if set).
local filler = string.rep("n", 1000)
local run = os.getenv("RUN_ID") or tostring(os.time())
local key = os.getenv("API_KEY")
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  counter = 0
  headers = { ["Content-Type"] = "application/json" }
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
end

request = function()
  counter = counter + 1
  return wrk.format("POST", nil, headers,
    '{"namespace":"bench.new","content":"' .. filler .. run .. "-" .. id .. "-" .. counter .. '"}')
end

-- The summary line, from summary.lua next to this script.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
