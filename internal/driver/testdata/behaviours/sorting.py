# sorted() copies the list and sorts it through a bound method; a key
# makes one key object per item.
data = [(i * 7919 % 1000, 'n%d' % i) for i in range(600)]
a = sorted(data)
b = sorted(data, key=lambda r: (-r[0], r[1]))
data.sort(key=lambda r: r[1], reverse=True)
