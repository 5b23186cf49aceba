-- A 2-D regression: learn the surface z = sin(πx)·cos(πy) on the square [-1, 1]². The score
-- is R² on 2000 fresh points (1 is perfect; higher is better).
loss = "mse"

local N = 2000

local function f(x, y)
  return math.sin(math.pi * x) * math.cos(math.pi * y)
end

-- inputs [n, 2] uniform on the square, targets [n, 1]
function sample(rng, n)
  local xy = rng:uniform_tensor({n, 2}, -1, 1)
  local z = tensor.zeros(n, 1)
  for i = 1, n do
    z:set(i, 1, f(xy:get(i, 1), xy:get(i, 2)))
  end
  return xy, z
end

function evaluate(model, rng)
  local xy, z = sample(rng, N)
  return metrics.r2(model:forward(xy), z)
end
