package.path = package.path .. ';' .. os.getenv('WRK_DIR') .. '/?.lua'
local c = require('common')
c.setup(42)
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then return c.get() end
  return c.put()
end
