package.path = package.path .. ';' .. os.getenv('WRK_DIR') .. '/?.lua'
local c = require('common')
c.setup(42)
request = c.put
