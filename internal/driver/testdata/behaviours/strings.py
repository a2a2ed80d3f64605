# str headers (48/72 in 3.11, 40/56 from 3.12) and the cached latin-1
# characters.
ascii_words = ['word%d' % i for i in range(200)]
latin = 'café' * 20
bmp = '\u20ac' * 30
astral = '\U0001F600' * 5
chars = [latin[i] for i in range(0, 40, 4)]
joined = '-'.join(ascii_words)
