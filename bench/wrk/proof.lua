-- wrk script (bench/wrk): GET an inclusion proof for a record picked at random from the file named
-- in HASHES_FILE (one file hash per line, all in the log of PROOF_NAMESPACE), with the key in
-- API_KEY (if set).
local hashes = {}
for line in io.lines(os.getenv("HASHES_FILE")) do hashes[#hashes + 1] = line end
local path = "/api/v1/transparency/" .. os.getenv("PROOF_NAMESPACE") .. "/proof/inclusion?file_hash="
local key = os.getenv("API_KEY")
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  math.randomseed(os.time() * 100 + id)
  headers = {}
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
end

request = function()
  return wrk.format("GET", path .. hashes[math.random(#hashes)], headers)
end

-- The summary line, from summary.lua next to this script.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
