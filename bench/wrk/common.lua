-- Request bodies like the common Locust profile of the reference implementations' users:
-- UUID-shaped keys from a pool of 10,000 and 256-character values of printable ASCII,
-- whitespace included. Bodies are built once per thread so wrk's own CPU stays low.
local M = {}
local keys, bodies = {}, {}

local function json_escape(s)
  return (s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == '\\' then return '\\\\' end
    return string.format('\\u%04x', c:byte())
  end))
end

function M.setup(seed)
  math.randomseed(seed)
  for i = 1, 10000 do
    keys[i] = string.format('%08x-%04x-%04x-%04x-%012x', math.random(0, 0x7fffffff), math.random(0, 0xffff),
      math.random(0, 0xffff), math.random(0, 0xffff), math.random(0, 0x7fffffff))
  end
  local alphabet = {}
  for c = 32, 126 do alphabet[#alphabet + 1] = string.char(c) end
  alphabet[#alphabet + 1] = '\t'; alphabet[#alphabet + 1] = '\n'
  for i = 1, 1000 do
    local v = {}
    for j = 1, 256 do v[j] = alphabet[math.random(1, #alphabet)] end
    bodies[i] = json_escape(table.concat(v))
  end
end

function M.key(i) return keys[i or math.random(1, #keys)] end

-- A PUT of the given key (a random one without) with a value of the profile.
function M.put(key)
  local body = '{"key":"' .. (key or M.key()) .. '","value":"' .. bodies[math.random(1, #bodies)] .. '"}'
  return wrk.format('POST', '/put', nil, body)
end

function M.get() return wrk.format('GET', '/get?key=' .. M.key()) end

function M.key_count() return #keys end

return M
