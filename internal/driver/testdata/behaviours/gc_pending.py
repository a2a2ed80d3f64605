# A collection scheduled by the last statement (3.12+: it waits for an
# eval-breaker check) runs as exec() returns, before the figures are read.
for i in range(697):
    a = []
    a.append(a)
del a
b = [[1], [2], [3], [4], [5], [6], [7], [8]]
