-- Writes every key of the pool once, so the GET run measures hits.
package.path = package.path .. ';' .. os.getenv('WRK_DIR') .. '/?.lua'
local c = require('common')
c.setup(42)
local i = 0
request = function()
  i = i % c.key_count() + 1
  return wrk.format('POST', '/put', nil, '{"key":"' .. c.key(i) .. '","value":"warm"}')
end
