package syntax

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden parses each testdata/*.py file and compares the printed
// tree with testdata/*.golden. Run with -update to rewrite the goldens.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.py")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.py files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".py")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(filepath.Base(file), src)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got bytes.Buffer
			if err := Fprint(&got, f); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(file, ".py") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("tree differs from %s (run go test -update to accept):\n%s", golden, diff(string(want), got.String()))
			}
		})
	}
}

// diff returns the first differing lines of want and got, with context.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return "(no difference)"
}

// TestWalk checks that Walk visits exactly the nodes Fprint prints (one
// line with a position per node), in the same order.
func TestWalk(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.py")
	for _, file := range files {
		src, _ := os.ReadFile(file)
		f, err := Parse(file, src)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var buf bytes.Buffer
		Fprint(&buf, f)
		var printed []string
		for _, line := range strings.Split(buf.String(), "\n") {
			if i := strings.LastIndex(line, " @"); i >= 0 {
				printed = append(printed, line[i+2:])
			}
		}
		var walked []string
		Walk(f, func(n Node) bool {
			if _, ok := n.(*File); !ok {
				walked = append(walked, n.Position().String())
			}
			return true
		})
		if strings.Join(walked, " ") != strings.Join(printed, " ") {
			t.Errorf("%s: Walk visited %d nodes, Fprint printed %d, or in another order", file, len(walked), len(printed))
		}
	}
}

// TestWalkPrune checks that returning false stops the descent.
func TestWalkPrune(t *testing.T) {
	f, err := Parse("t.py", []byte("def f():\n    return g(1)\nx = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	Walk(f, func(n Node) bool {
		kinds = append(kinds, strings.TrimPrefix(fmt.Sprintf("%T", n), "*syntax."))
		_, isDef := n.(*FuncDef)
		return !isDef
	})
	if got, want := strings.Join(kinds, " "), "File FuncDef Assign Name Int"; got != want {
		t.Errorf("Walk visited %s, want %s", got, want)
	}
}

// TestErrors checks the first error reported for invalid or unsupported
// sources, with CPython's message where it has one.
func TestErrors(t *testing.T) {
	for _, test := range errorTests {
		_, err := Parse("t.py", []byte(test.src))
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error %q", test.src, test.want)
			continue
		}
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("Parse(%q) returned %T, want *Error", test.src, err)
			continue
		}
		if got := err.Error(); got != test.want {
			t.Errorf("Parse(%q):\n got: %s\nwant: %s", test.src, got, test.want)
		}
		if perr.Unsupported != strings.Contains(test.want, "unsupported: ") {
			t.Errorf("Parse(%q): Unsupported = %v", test.src, perr.Unsupported)
		}
	}
}

// errorSources returns the sources of errorTests, as fuzzing seeds.
func errorSources() []string {
	var srcs []string
	for _, test := range errorTests {
		srcs = append(srcs, test.src)
	}
	return srcs
}

// errorTests are sources and the error Parse reports for them, with
// CPython's message where it has one.
var errorTests = []struct {
	src, want string
}{
	// Indentation and blocks.
	{"if x\n    pass\n", "t.py:1:5: expected ':'"},
	{"for x in y\n  pass\n", "t.py:1:11: expected ':'"},
	{"while True\n  pass\n", "t.py:1:11: expected ':'"},
	{"def f()\n  pass\n", "t.py:1:8: expected ':'"},
	{"class A\n  pass\n", "t.py:1:8: expected ':'"},
	{"x = 1\n    y = 2\n", "t.py:2:5: unexpected indent"},
	{" x = 1\n", "t.py:1:2: unexpected indent"},
	{"if x:\npass\n", "t.py:2:1: expected an indented block after 'if' statement on line 1"},
	{"def f():\n# only a comment\n", "t.py:3:1: expected an indented block after function definition on line 1"},
	{"class C:\n\nx = 1\n", "t.py:3:1: expected an indented block after class definition on line 1"},
	{"def f():\n        x = 1\n    y = 2\n", "t.py:3:5: unindent does not match any outer indentation level"},
	{"if x:\n  pass\n else:\n  pass\n", "t.py:3:2: unindent does not match any outer indentation level"},
	{"if True:\n\tx = 1\n        y = 2\n", "t.py:3:9: inconsistent use of tabs and spaces in indentation"},
	{"else:\n  pass\n", "t.py:1:1: invalid syntax"},

	// Brackets.
	{"foo(1, 2\nx = 3\n", "t.py:1:4: '(' was never closed"},
	{"x = (1,\n     2\n", "t.py:1:5: '(' was never closed"},
	{"a = [1\n", "t.py:1:5: '[' was never closed"},
	{"foo(1]\n", "t.py:1:6: closing parenthesis ']' does not match opening parenthesis '('"},
	{"foo(1,\n2]\n", "t.py:2:2: closing parenthesis ']' does not match opening parenthesis '(' on line 1"},
	{"x = 1)\n", "t.py:1:6: unmatched ')'"},
	{"x = " + strings.Repeat("(", 201) + strings.Repeat(")", 201) + "\n", "t.py:1:205: too many nested parentheses"},

	// Other syntax errors.
	{"x = = 1\n", "t.py:1:5: invalid syntax"},
	{"type X = int\n", "t.py:1:6: invalid syntax"},
	{"x = 1 +\n", "t.py:1:8: invalid syntax"},
	{"x = 1 if y\n", "t.py:1:5: expected 'else' after 'if' expression"},
	{"x := 1\n", "t.py:1:3: invalid syntax"},
	{"x = y := 1\n", "t.py:1:7: invalid syntax"},
	{"f(a=x := 1)\n", "t.py:1:7: invalid syntax"},
	{"x = 'abc\n", "t.py:1:5: unterminated string literal (detected at line 1)"},
	{"x = '''abc\n\n", "t.py:1:5: unterminated triple-quoted string literal (detected at line 2)"},
	{"x = ur'a'\n", "t.py:1:5: invalid syntax"},
	{"x = 0777\n", "t.py:1:5: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"},
	{"x = 1_\n", "t.py:1:5: invalid decimal literal"},
	{"x = 1__0\n", "t.py:1:5: invalid decimal literal"},
	{"x = 0x\n", "t.py:1:5: invalid hexadecimal literal"},
	{"x = 0b102\n", "t.py:1:5: invalid binary literal"},
	{"x = 1e\n", "t.py:1:5: invalid decimal literal"},
	{"x = 10L\n", "t.py:1:5: invalid decimal literal"},
	{"x = b'\u00e9'\n", "t.py:1:5: bytes can only contain ASCII literal characters"},
	{`x = '\xZ'` + "\n", `t.py:1:5: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \xXX escape`},
	{`x = b'\x4'` + "\n", `t.py:1:5: (value error) invalid \x escape at position 0`},
	{`x = '\U00110000'` + "\n", `t.py:1:5: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character`},
	{"x = 'a' b'b'\n", "t.py:1:5: cannot mix bytes and nonbytes literals"},
	{"x = b'a' f'b'\n", "t.py:1:5: cannot mix bytes and nonbytes literals"},
	{"f'{x!z}'\n", "t.py:1:5: f-string: invalid conversion character: expected 's', 'r', or 'a'"},
	{"f'{}'\n", "t.py:1:4: f-string: empty expression not allowed"},
	{"x = f'{x}}'\n", "t.py:1:10: f-string: single '}' is not allowed"},
	{"x = f'}'\n", "t.py:1:7: f-string: single '}' is not allowed"},
	{"x = f'{'\n", "t.py:1:5: f-string: expecting '}'"},
	{"x = f'{x#}'\n", "t.py:1:9: f-string expression part cannot include '#'"},
	{`f'{a\n}'` + "\n", "t.py:1:5: f-string expression part cannot include a backslash"},
	{"x = f'{a:{b:{c}}}'\n", "t.py:1:13: f-string: expressions nested too deeply"},
	{"f'{*a}'\n", "t.py:1:4: f-string: cannot use starred expression here"},

	// Targets.
	{"f() = 1\n", "t.py:1:1: cannot assign to function call here. Maybe you meant '==' instead of '='?"},
	{"a + 1 = 2\n", "t.py:1:1: cannot assign to expression here. Maybe you meant '==' instead of '='?"},
	{"'abc' = 1\n", "t.py:1:1: cannot assign to literal here. Maybe you meant '==' instead of '='?"},
	{"True = 1\n", "t.py:1:1: cannot assign to True"},
	{"[a, 1] = x\n", "t.py:1:5: cannot assign to literal"},
	{"for 1 in x: pass\n", "t.py:1:5: cannot assign to literal"},
	{"*a = 1\n", "t.py:1:1: starred assignment target must be in a list or tuple"},
	{"*a, *b = 1\n", "t.py:1:5: multiple starred expressions in assignment"},
	{"for *a in b: pass\n", "t.py:1:5: starred assignment target must be in a list or tuple"},
	{"a, b += 1\n", "t.py:1:1: 'tuple' is an illegal expression for augmented assignment"},
	{"(a, b) += 1\n", "t.py:1:1: 'tuple' is an illegal expression for augmented assignment"},
	{"a, b: int = 1\n", "t.py:1:1: only single target (not tuple) can be annotated"},
	{"del f()\n", "t.py:1:5: cannot delete function call"},
	{"del *a\n", "t.py:1:5: cannot delete starred"},
	{"del (a, *b)\n", "t.py:1:9: cannot delete starred"},
	{"x = (*a)\n", "t.py:1:6: cannot use starred expression here"},
	{"x = [*a for a in b]\n", "t.py:1:6: iterable unpacking cannot be used in comprehension"},
	{"x = [x for x in 1, 2]\n", "t.py:1:8: invalid syntax"},

	// Calls and definitions.
	{"f(x for x in y, 1)\n", "t.py:1:3: Generator expression must be parenthesized"},
	{"f(1, x for x in y)\n", "t.py:1:6: Generator expression must be parenthesized"},
	{"f(a=1, 2)\n", "t.py:1:8: positional argument follows keyword argument"},
	{"f(**a, 2)\n", "t.py:1:8: positional argument follows keyword argument unpacking"},
	{"f(a=1, a=2)\n", "t.py:1:8: keyword argument repeated: a"},
	{"f(**a, *b)\n", "t.py:1:8: iterable argument unpacking follows keyword argument unpacking"},
	{"def f(a=1, b): pass\n", "t.py:1:12: non-default argument follows default argument"},
	{"def f(a, a): pass\n", "t.py:1:10: duplicate argument 'a' in function definition"},
	{"def f(a, *, b, **a): pass\n", "t.py:1:18: duplicate argument 'a' in function definition"},
	{"def f(*): pass\n", "t.py:1:7: named arguments must follow bare *"},
	{"def f(*, **k): pass\n", "t.py:1:7: named arguments must follow bare *"},
	{"def f(**k, a): pass\n", "t.py:1:12: arguments cannot follow var-keyword argument"},
	{"def f(*a, *b): pass\n", "t.py:1:11: * argument may appear only once"},
	{"def f(a, (b, c)): pass\n", "t.py:1:10: Function parameters cannot be parenthesized"},
	{"return\n", "t.py:1:1: 'return' outside function"},
	{"class C:\n    return 1\n", "t.py:2:5: 'return' outside function"},
	{"def f():\n  class A:\n    return 1\n", "t.py:3:5: 'return' outside function"},
	{"break\n", "t.py:1:1: 'break' outside loop"},
	{"continue\n", "t.py:1:1: 'continue' not properly in loop"},
	{"while x:\n  pass\nelse:\n  break\n", "t.py:4:3: 'break' outside loop"},
	{"for x in y:\n  def f():\n    continue\n", "t.py:3:5: 'continue' not properly in loop"},
	{"nonlocal x\n", "t.py:1:1: nonlocal declaration not allowed at module level"},
	{"try:\n  pass\n", "t.py:2:7: expected 'except' or 'finally' block"},
	{"try:\n  pass\nelse:\n  pass\n", "t.py:3:1: expected 'except' or 'finally' block"},
	{"try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n", "t.py:3:1: default 'except:' must be last"},
	{"try:\n  pass\nexcept E, e:\n  pass\n", "t.py:3:8: multiple exception types must be parenthesized"},
	{"from a import b,\n", "t.py:1:16: trailing comma not allowed without surrounding parentheses"},
	{"import os\nfrom __future__ import annotations\n", "t.py:2:1: from __future__ imports must occur at the beginning of the file"},
	{"from __future__ import braces\n", "t.py:1:24: not a chance"},
	{"from __future__ import nonsense\n", "t.py:1:24: future feature nonsense is not defined"},

	// Source encoding.
	{"x = 1\n\xff\n", "t.py:2:1: Non-UTF-8 code starting with '\\xff'"},
	{"x = '\x00'\n", "t.py:1:6: source code cannot contain null bytes"},

	// Unsupported constructs.
	{"print x\n", "t.py:1:1: unsupported: Python 2 print statement; call print(...)"},
	{"print >>f, x\n", "t.py:1:1: unsupported: Python 2 print statement; call print(...)"},
	{"exec 'x'\n", "t.py:1:1: unsupported: Python 2 exec statement"},
	{"x = `y`\n", "t.py:1:5: unsupported: backquotes (Python 2); use repr()"},
	{"1 <> 2\n", "t.py:1:3: unsupported: '<>' operator (Python 2); use '!='"},
	{"@dec\ndef f(): pass\n", "t.py:1:1: unsupported: decorator"},
	{"async def f(): pass\n", "t.py:1:1: unsupported: async function"},
	{"def f():\n  async for x in y: pass\n", "t.py:2:3: unsupported: async for loop"},
	{"with a as b: pass\n", "t.py:1:1: unsupported: with statement"},
	{"match x:\n  case 1: pass\n", "t.py:1:1: unsupported: match statement"},
	{"def f[T](x): pass\n", "t.py:1:6: unsupported: type parameters"},
	{"class C[T]: pass\n", "t.py:1:8: unsupported: type parameters"},
	{"def f():\n  yield 1\n", "t.py:2:3: unsupported: yield"},
	{"def f():\n  x = yield\n", "t.py:2:7: unsupported: yield"},
	{"lambda: (yield)\n", "t.py:1:10: unsupported: yield"},
	{"def f():\n  await g()\n", "t.py:2:3: unsupported: await expression"},
	{"x = [y async for y in z]\n", "t.py:1:8: unsupported: async comprehension"},
	{"x = 5j\n", "t.py:1:5: unsupported: imaginary number"},
	{"x = 1.5J\n", "t.py:1:5: unsupported: imaginary number"},
	{"class A(metaclass=M): pass\n", "t.py:1:9: unsupported: class keyword arguments (metaclass=...)"},
	{"class A(*bases): pass\n", "t.py:1:9: unsupported: starred base classes"},
	{`x = '\N{BULLET}'` + "\n", `t.py:1:5: unsupported: \N{...} escape in string literal`},
	{`x = '\ud800'` + "\n", `t.py:1:5: unsupported: surrogate code point \ud800 in string literal`},
	{"for a, *b in c: pass\n", "t.py:1:8: unsupported: star-target in for loop or comprehension"},
	{"x = [a for a, *b in c]\n", "t.py:1:15: unsupported: star-target in for loop or comprehension"},
	{"def f(a, /, b): pass\n", "t.py:1:10: unsupported: positional-only parameters"},
	{"try:\n  pass\nexcept* E:\n  pass\n", "t.py:3:1: unsupported: except* (exception groups)"},
	{"x: int\n", "t.py:1:1: unsupported: annotation without a value"},
	{"from __future__ import barry_as_FLUFL\n", "t.py:1:24: unsupported: from __future__ import barry_as_FLUFL"},
}

// TestSource checks how the source text is read: line endings, byte
// order mark, missing final newline, and File.Lines.
func TestSource(t *testing.T) {
	for _, test := range []struct {
		name, src string
		lines     []string
		tree      string // Fprint output without the File line
	}{
		{"empty", "", []string{}, ""},
		{"comment only", "# nothing\n", []string{"# nothing"}, ""},
		{"no final newline", "x = 1", []string{"x = 1"}, "Assign @1:1\n  targets:\n    Name x @1:1\n  value: Int 1 @1:5\n"},
		{"crlf", "if a:\r\n    b\r\n", []string{"if a:", "    b"}, "If @1:1\n  cond: Name a @1:4\n  body:\n    ExprStmt @2:5\n      value: Name b @2:5\n"},
		{"cr", "a\rb\r", []string{"a", "b"}, "ExprStmt @1:1\n  value: Name a @1:1\nExprStmt @2:1\n  value: Name b @2:1\n"},
		{"crlf in string", "s = '''a\r\nb'''\r\n", []string{"s = '''a", "b'''"}, "Assign @1:1\n  targets:\n    Name s @1:1\n  value: Str \"a\\nb\" @1:5\n"},
		{"bom", "\ufeffx\n", []string{"x"}, "ExprStmt @1:1\n  value: Name x @1:1\n"},
		{"blank lines", "\n\nx\n\n", []string{"", "", "x", ""}, "ExprStmt @3:1\n  value: Name x @3:1\n"},
		{"docstring", "'''Doc.'''\n", []string{"'''Doc.'''"}, "ExprStmt @1:1\n  value: Str \"Doc.\" @1:1\n"},
		{"utf-8 declaration", "# -*- coding: utf-8 -*-\nx\n", []string{"# -*- coding: utf-8 -*-", "x"}, "ExprStmt @2:1\n  value: Name x @2:1\n"},
		{"semicolons", "a; b;\n", []string{"a; b;"}, "ExprStmt @1:1\n  value: Name a @1:1\nExprStmt @1:4\n  value: Name b @1:4\n"},
	} {
		f, err := Parse("t.py", []byte(test.src))
		if err != nil {
			t.Errorf("%s: %v", test.name, err)
			continue
		}
		if got, want := strings.Join(f.Lines, "|"), strings.Join(test.lines, "|"); got != want || len(f.Lines) != len(test.lines) {
			t.Errorf("%s: Lines = %q, want %q", test.name, f.Lines, test.lines)
		}
		var buf bytes.Buffer
		Fprint(&buf, f)
		got := strings.TrimPrefix(buf.String(), "File \"t.py\"\n")
		got = strings.ReplaceAll(got, "\n  ", "\n")
		got = strings.TrimPrefix(got, "  ")
		if got != test.tree {
			t.Errorf("%s: tree\n%s\nwant\n%s", test.name, got, test.tree)
		}
	}
}

// TestDeepNesting checks that deeply nested input is rejected with an
// error rather than exhausting the stack.
func TestDeepNesting(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("-", 5000) + "x\n",
		"x = " + strings.Repeat("not ", 5000) + "x\n",
		"x = " + strings.Repeat("a + ", 5000) + "a\n",
		"x = " + strings.Repeat("[", 150) + strings.Repeat("]", 150) + "\n",
	} {
		_, err := Parse("t.py", []byte(src))
		if err == nil {
			continue // within the limits
		}
		if !strings.Contains(err.Error(), "too many nested") {
			t.Errorf("Parse(%.20q...): %v", src, err)
		}
	}
}

// TestPositionsAreRunes checks that columns count characters, not bytes.
func TestPositionsAreRunes(t *testing.T) {
	f, err := Parse("t.py", []byte("s = '日本語'; t = x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Body[1].Position(); got != (Pos{1, 12}) {
		t.Errorf("second statement at %v, want 1:12", got)
	}
	_, err = Parse("t.py", []byte("s = '日本語' +\n"))
	if got, want := err.Error(), "t.py:1:12: invalid syntax"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}
