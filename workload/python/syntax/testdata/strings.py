'single'
"double"
'''triple
single'''
"""triple
double"""
'it\'s'
"say \"hi\""
'tab\there'
'newline\nhere'
'backslash \\ here'
'\a\b\f\n\r\t\v'
'\0 \7 \101 \777'
'\x41\x7e'
'\u00e9\u20ac'
'\U0001F600'
'unknown \d escape'
'line \
continued'
r'raw \n \x41 \''
R"raw"
u'unicode prefix'
'implicit' ' concatenation' " of three"
('parenthesized '
 'concatenation')
'héllo wörld'
'日本語'
''
""
