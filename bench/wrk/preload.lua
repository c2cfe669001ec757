-- Writes every key of the pool once with a value of the profile, so the GET run measures hits
-- of the profile's size. Run it with -t1: once each key has had its reply the process exits
-- (wrk's thread:stop still waits out -d, which is left as the deadline).
package.path = package.path .. ';' .. os.getenv('WRK_DIR') .. '/?.lua'
local c = require('common')
c.setup(42)
local sent, answered = 0, 0
request = function()
  sent = sent % c.key_count() + 1
  return c.put(c.key(sent))
end
response = function(status)
  if status ~= 200 then error('a preload PUT answered ' .. status) end
  answered = answered + 1
  if answered >= c.key_count() then os.exit(0) end
end
