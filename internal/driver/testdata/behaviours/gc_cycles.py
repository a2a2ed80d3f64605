# Reference cycles freed by the collector: when it runs (inside the
# allocation in 3.11, at the next eval-breaker check from 3.12) and how
# often (700, then 2000 in 3.13).
def ring(n, tag):
    nodes = [[tag, i, None] for i in range(n)]
    for i in range(n):
        nodes[i][2] = nodes[(i + 1) % n]
    return nodes[0]

for r in range(150):
    head = ring(20, 'r%d' % r)
    del head
