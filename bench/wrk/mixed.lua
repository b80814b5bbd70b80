-- wrk script: a mixed load on the service for the memory row. Each request is one of: /hash of
-- 1 KiB, /stamp of one of 10,000 contents (so the embedded store settles at 10,000 records),
-- /validate, a namespace page, a lookup of the record of "Hello World" (stamped first). The key
-- comes from API_KEY.
local key = os.getenv("API_KEY") or ""
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
local filler = string.rep("m", 1000)
local counter = 0

request = function()
  counter = counter + 1
  local pick = counter % 10
  if pick < 3 then
    return wrk.format("POST", "/api/v1/metadata-stamping/hash", headers, '{"content":"' .. filler .. counter .. '"}')
  elseif pick < 7 then
    return wrk.format("POST", "/api/v1/metadata-stamping/stamp", headers,
      '{"namespace":"bench.mixed","content":"' .. filler .. (counter % 10000) .. '"}')
  elseif pick < 8 then
    return wrk.format("POST", "/api/v1/metadata-stamping/validate", headers, '{"content":"' .. filler .. '"}')
  elseif pick < 9 then
    return wrk.format("GET", "/api/v1/metadata-stamping/namespace/bench.mixed?limit=20", headers)
  else
    return wrk.format("GET", "/api/v1/metadata-stamping/stamp/41f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76?namespace=bench.mixed", headers)
  end
end

-- The summary line, from summary.lua next to this script.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
