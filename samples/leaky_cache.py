# Leaky cache: a memoising dict that is never evicted. Every distinct call
# adds an int key and a str value that stay alive to the end, so the heap
# grows linearly with the number of distinct arguments.
# Look at the growth curve (a steady ramp, no plateau) and at final_bytes:
# almost everything allocated is still live: str values, int keys, dict.keys.

cache = {}
hits = 0

def describe(n):
    global hits
    if n in cache:
        hits += 1
        return cache[n]
    steps = 0
    m = n
    while m != 1 and steps < 500:
        m = m // 2 if m % 2 == 0 else 3 * m + 1
        steps += 1
    text = "n=%d steps=%d" % (n, steps)
    cache[n] = text
    return text

total = 0
for i in range(1, 20001):
    total += len(describe(i))
    total += len(describe(i // 2 + 1))
print(f"leaky_cache: {len(cache)} cached entries, {hits} hits, {total} chars")
