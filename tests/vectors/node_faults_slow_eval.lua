-- The square example's score, after a deterministic busy loop that makes each evaluation
-- take a few seconds (test_node_faults kills a node in the middle of one).
loss = "mse"

local N = 1000

function sample(rng, n)
  local x = rng:uniform_tensor({n, 1}, -1, 1)
  return x, x * x
end

function evaluate(model, rng)
  local acc = 0
  for i = 1, 250000000 do
    acc = (acc + i) % 1000003
  end
  local x = rng:uniform_tensor({N, 1}, -1, 1)
  local y = model:forward(x)
  return metrics.r2(y, x * x) + acc * 0
end
