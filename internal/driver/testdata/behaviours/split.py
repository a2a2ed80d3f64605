# str.split presizes its list: 12 slots in 3.11, by the string's length
# from 3.12.
a = 'alpha beta'.split()
b = ''.split()
c = 'one'.split()
d = 'a,b,c,d,e'.split(',')
e = ' '.join(['w'] * 30).split()
f = 'x--y--z'.split('--')
g = 'k=v'.rsplit('=')
h = 'ab'.split('abc')
