-- The seed story: learn f(x) = x² on [-1, 1]. The score is R² on 1000 fresh points drawn
-- from the on-chain seed (1 is perfect; higher is better).
loss = "mse" -- what `zara train` minimises

local N = 1000

-- training data for `zara train`: n inputs in [-1, 1] and their squares
function sample(rng, n)
  local x = rng:uniform_tensor({n, 1}, -1, 1)
  return x, x * x
end

function evaluate(model, rng)
  local x = rng:uniform_tensor({N, 1}, -1, 1)
  local y = model:forward(x)
  return metrics.r2(y, x * x)
end
