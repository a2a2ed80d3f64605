# % formatting through _PyUnicodeWriter, str() of ints and floats, and the
# %-format the compiler turns into an f-string.
name, qty, price = 'widget', 12, 3.25
lines = []
for i in range(100):
    lines.append('%s-%d: %5d x %.2f' % (name, i, qty, price))
    lines.append('item %s' % (i,))
    lines.append(str(i * 1000) + str(price * i))
head = '%-10s|%8s' % ('name', 'qty')
pct = '%d%%' % 50
