function evaluate(model, rng)
  local x = rng:normal_tensor({16, 2}, 0, 1)
  local p = model:forward(x)
  local y = tensor.zeros(16)
  for i = 1, 16 do y[i] = rng:int(1, 2) end
  local perm = rng:permutation(5)
  return metrics.accuracy(p, y) - metrics.cross_entropy(p, y) + perm[1] * 0
end
