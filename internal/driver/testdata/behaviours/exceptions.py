# Exceptions raised and caught: the exception, its args tuple and message.
d = {}
misses = 0
for i in range(100):
    try:
        v = d['k%d' % i]
    except KeyError:
        misses += 1
try:
    int('nope')
except ValueError as e:
    msg = str(e)
