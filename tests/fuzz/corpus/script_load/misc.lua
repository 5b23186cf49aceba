local ok, e = pcall(string.rep, "x", 1 << 30) local s = string.format("%5.2f %s", 1.5, {}) local a = math.pow(2, 0.5) + math.sin(1) + math.log(8, 2)
