# Calls that pack an args tuple in 3.11 and 3.12 but not in 3.13 (str, int,
# min, max, str's search methods), and calls that always do (print, zip).
L = [str(i) for i in range(500)]
M = [int(s) for s in L]
lo = min(M)
hi = max(3, 9)
text = 'hello world ' * 20
n = sum(1 for i in range(200) if text.startswith('wo', i))
k = text.find('world', 5) + text.count('o')
z = list(zip(L[:10], M[:10]))
print(lo, hi, n, k)
