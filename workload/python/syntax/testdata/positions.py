s = 'é'; t = x
ü = 'ß' + 日本
	# a comment after a tab
if a:
	y = 'ä' + z
x = {
    'k': [1,
          2],  # comment inside brackets
}
total = a + \
    b
