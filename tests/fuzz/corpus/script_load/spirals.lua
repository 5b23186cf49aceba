-- Two interleaved spirals: classify a point of the plane as spiral 1 or spiral 2. The score
-- is the accuracy on 2000 fresh noisy points (1 is perfect; higher is better).
loss = "cross_entropy" -- the model ends in softmax over the two classes
train = {lr = 0.003, steps = 3000} -- suggested settings for `zara train`

local N = 2000
local TURNS = 1.5 -- each spiral winds one and a half times around the origin

-- one point: class c ∈ {1, 2}, position t along the spiral, a little Gaussian noise
local function point(rng)
  local c = rng:int(1, 2)
  local t = rng:uniform(0.15, 1)
  local angle = 2 * math.pi * TURNS * t + (c - 1) * math.pi
  local x = t * math.cos(angle) + rng:normal(0, 0.02)
  local y = t * math.sin(angle) + rng:normal(0, 0.02)
  return x, y, c
end

-- inputs [n, 2] and one-hot targets [n, 2]
function sample(rng, n)
  local x, y = tensor.zeros(n, 2), tensor.zeros(n, 2)
  for i = 1, n do
    local a, b, c = point(rng)
    x:set(i, 1, a)
    x:set(i, 2, b)
    y:set(i, c, 1)
  end
  return x, y
end

function evaluate(model, rng)
  local x, y = sample(rng, N)
  return metrics.accuracy(model:forward(x), y)
end
