if a:
    pass
elif b:
    x = 1
elif c:
    x = 2
else:
    x = 3

if a: pass

while n > 0:
    n -= 1
    if n == 5:
        continue
    if n == 2:
        break
else:
    done = True

for i in range(10):
    print(i)
else:
    print("no break")

for k, v in d.items():
    pass

for (a, b), c in zip(pairs, cs):
    pass

for x in 1, 2, 3:
    pass

for obj.attr in values:
    pass
