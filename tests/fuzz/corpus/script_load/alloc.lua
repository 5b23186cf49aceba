local t = {} while true do t[#t+1] = tensor.zeros(1000) end
