-- wrk script (bench/wrk): POST a JSON body read from the file named in BODY_FILE, with the key in API_KEY
-- (if set); at the end print one line of JSON with requests/s, latency percentiles and errors.
local body_file = os.getenv("BODY_FILE")
local f = assert(io.open(body_file, "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("API_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end

-- The summary line, from summary.lua next to this script.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
