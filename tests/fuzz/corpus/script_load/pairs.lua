local t = {b=1, a=2, [3]=4} for k, v in pairs(t) do print(k, v) end table.sort({3,1,2}, function(a, b) return a > b end)
