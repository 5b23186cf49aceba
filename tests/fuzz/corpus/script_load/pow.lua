local x = 2 ^ 3 -- ^ in a comment
