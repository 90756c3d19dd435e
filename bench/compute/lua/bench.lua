-- bench.lua - a mixed Lua workload for the compute benchmark: recursion,
-- table sort with a comparator, string building and pattern matching,
-- closures and a hash map.  SCALE (percent, set with -e before this chunk)
-- sizes it; it prints one checksum line, compared across peers.
local scale = (SCALE or 100) / 100

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

-- 32-bit checksum helper: integer arithmetic only, identical everywhere.
local sum = 0
local function mix(v)
  sum = ((sum * 31) + v) & 0xffffffff
end

local function lcg(seed)
  local s = seed
  return function()
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s
  end
end

local reps = math.max(1, math.floor(15 * scale))
for r = 1, reps do
  mix(fib(24 + (r % 2)))

  local rnd = lcg(r)
  local t = {}
  for i = 1, 40000 do t[i] = rnd() % 100000 end
  table.sort(t, function(a, b) return a > b end)
  mix(t[1]); mix(t[#t // 2]); mix(t[#t])

  local parts = {}
  for i = 1, 20000 do parts[#parts + 1] = string.format("%d:%x;", i, i * r) end
  local s = table.concat(parts)
  local count = 0
  for a, b in s:gmatch("(%d+):(%x+);") do
    if #b > #a then count = count + 1 end
  end
  mix(count); mix(#s)

  local map = {}
  for i = 1, 50000 do
    local k = "k" .. (rnd() % 5000)
    map[k] = (map[k] or 0) + i
  end
  -- pairs() order depends on Lua's randomized string hash seed: reduce
  -- with an order-independent sum.
  local keys, total = 0, 0
  for _, v in pairs(map) do keys = keys + 1; total = (total + v) & 0xffffffff end
  mix(keys); mix(total)
end
print(string.format("lua %08x", sum))
