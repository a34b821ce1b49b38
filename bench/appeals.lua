-- wrk script: GET /api/v1/appeals/{number} over many appeals (issue 19 point 7: the appeal
-- page, read as staff read it, not one hot page). The numbers come one a line from the file
-- named after `--`; each thread walks them from its own starting point, so that every
-- number is asked for again and again, by every connection, in no fixed order.
--   wrk -t2 -c32 -d5s -H "Authorization: Bearer TOKEN" -s bench/appeals.lua URL -- numbers.txt
local paths = {}
local i = 0

local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local f = assert(io.open(args[1], "r"), "numbers file")
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = "/api/v1/appeals/" .. enc(line) end
  end
  f:close()
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
