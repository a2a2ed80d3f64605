package syntax

// pythonLiterals lists string and bytes literals with the values
// CPython 3.11 gives them, computed once with python3's eval (the tests
// do not need python3).

var pythonLiterals = []struct {
	src   string // Python source of the literal
	want  string // its value: UTF-8 for str, raw bytes for bytes
	bytes bool
}{
	{`'plain'`, "plain", false},
	{`"double"`, "double", false},
	{`'\n\t\r\\'`, "\n\t\r\\", false},
	{`'\a\b\f\v'`, "\u0007\b\f\u000b", false},
	{`'\'\"'`, "'\"", false},
	{`'\0'`, "\u0000", false},
	{`'\00'`, "\u0000", false},
	{`'\000'`, "\u0000", false},
	{`'\0000'`, "\u00000", false},
	{`'\101\102'`, "AB", false},
	{`'\1\12\123\1234'`, "\u0001\nSS4", false},
	{`'\377\400\777'`, "ÿĀǿ", false},
	{`'\8\9'`, "\\8\\9", false},
	{`'\x00\x7f\x80\xff'`, "\u0000ÿ", false},
	{`'\xAb'`, "«", false},
	{`'\u0041\u00e9\u4e2d'`, "Aé中", false},
	{`'\uFFFF'`, "￿", false},
	{`'\U00000041'`, "A", false},
	{`'\U0001F600'`, "😀", false},
	{`'\U0010FFFF'`, "􏿿", false},
	{`'\q\w\e'`, "\\q\\w\\e", false},
	{`'\ '`, "\\ ", false},
	{"'a\\\nb'", "ab", false},
	{`r'\n'`, "\\n", false},
	{`r'\''`, "\\'", false},
	{`R'\x41'`, "\\x41", false},
	{`'''a'b\"c'''`, "a'b\"c", false},
	{"\"\"\"line1\nline2\"\"\"", "line1\nline2", false},
	{`'é' '日本'`, "é日本", false},
	{`u'\u00e9'`, "é", false},
	{`'{}'`, "{}", false},
	{`'%s %d'`, "%s %d", false},
	{`'\\N'`, "\\N", false},
	{`r'\N{BULLET}'`, "\\N{BULLET}", false},
	{`b'\n\t\\'`, "\x0a\x09\x5c", true},
	{`b'\x00\xff'`, "\x00\xff", true},
	{`b'\101\777'`, "\x41\xff", true},
	{`b'\u0041'`, "\x5c\x75\x30\x30\x34\x31", true},
	{`b'\N{X}'`, "\x5c\x4e\x7b\x58\x7d", true},
	{`br'\x00'`, "\x5c\x78\x30\x30", true},
	{`rb'\n'`, "\x5c\x6e", true},
	{`b'\q'`, "\x5c\x71", true},
	{`f'\x7b'`, "{", false},
	{`f'\{{x'`, "\\{x", false},
	{`f'\\{{'`, "\\{", false},
	{`f'a\tb'`, "a\tb", false},
	{`rf'\t'`, "\\t", false},
	{`f'{{}}'`, "{}", false},
}
