# Nested lists: a 120 x 120 grid (a list of row lists) stepped 10 times by a
# Game-of-Life rule; each step builds a whole new grid and drops the old one.
# Look at list and list.items in the by-type table: 121 lists per grid, and
# the growth curve's plateau, two grids alive while a step runs.

W = 120
H = 120

def make_grid():
    grid = [[0] * W for _ in range(H)]
    seed = 7
    for y in range(H):
        for x in range(W):
            seed = (seed * 1103515245 + 12345) % 2147483648
            if seed % 3 == 0:
                grid[y][x] = 1
    return grid

def step(grid):
    new = []
    for y in range(H):
        row = []
        for x in range(W):
            n = 0
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    if dy or dx:
                        n += grid[(y + dy) % H][(x + dx) % W]
            alive = grid[y][x]
            row.append(1 if n == 3 or (alive and n == 2) else 0)
        new.append(row)
    return new

g = make_grid()
for _ in range(10):
    g = step(g)
live = sum(sum(row) for row in g)
print(f"grid: {W}x{H} grid after 10 steps, {live} live cells")
