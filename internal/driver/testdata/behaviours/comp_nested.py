# Nested comprehensions: the inner one uses the outer one's variable.
grid = [[x * y for y in range(30)] for x in range(30)]
pairs = {(x, y): x + y for x in range(10) for y in range(10) if x != y}
