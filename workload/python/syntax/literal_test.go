package syntax

import (
	"math"
	"math/big"
	"testing"
)

// parseValue parses "x = <expr>" and returns the assigned expression.
func parseValue(t *testing.T, expr string) Expr {
	t.Helper()
	f, err := Parse("t.py", []byte("x = "+expr+"\n"))
	if err != nil {
		t.Fatalf("Parse(%s): %v", expr, err)
	}
	return f.Body[0].(*Assign).Value
}

// TestStringLiterals compares decoded strings with CPython's values.
func TestStringLiterals(t *testing.T) {
	for _, test := range pythonLiterals {
		switch v := parseValue(t, test.src).(type) {
		case *Str:
			if test.bytes || v.Value != test.want {
				t.Errorf("%s = Str %q, want %q (bytes=%v)", test.src, v.Value, test.want, test.bytes)
			}
		case *Bytes:
			if !test.bytes || v.Value != test.want {
				t.Errorf("%s = Bytes %q, want %q (bytes=%v)", test.src, v.Value, test.want, test.bytes)
			}
		default:
			t.Errorf("%s = %T, want a constant", test.src, v)
		}
	}
}

func TestIntLiterals(t *testing.T) {
	for _, test := range []struct{ src, want string }{
		{"0", "0"},
		{"000", "0"},
		{"7", "7"},
		{"1_000", "1000"},
		{"0x_1f", "31"},
		{"0XfF", "255"},
		{"0o777", "511"},
		{"0b_1_0", "2"},
		{"18446744073709551616", "18446744073709551616"},
		{"0xf0000000000000000000000000000000000000000", "21922524559963543773055272490744245294838988144640"},
	} {
		v, ok := parseValue(t, test.src).(*Int)
		if !ok {
			t.Errorf("%s is not an Int", test.src)
			continue
		}
		want, _ := new(big.Int).SetString(test.want, 10)
		if v.Value.Cmp(want) != 0 {
			t.Errorf("%s = %s, want %s", test.src, v.Value, test.want)
		}
	}
}

func TestFloatLiterals(t *testing.T) {
	for _, test := range []struct {
		src  string
		want float64
	}{
		{"1.5", 1.5},
		{"1e5", 1e5},
		{"1E-5", 1e-5},
		{"1_0.5", 10.5},
		{".5", 0.5},
		{"5.", 5},
		{"1_000.000_1e1_0", 1000.0001e10},
		{"0.1", 0.1},
		{"1e400", math.Inf(1)},
		{"1e-400", 0},
		{"00.5", 0.5},
		{"09.5", 9.5},
	} {
		v, ok := parseValue(t, test.src).(*Float)
		if !ok {
			t.Errorf("%s is not a Float", test.src)
			continue
		}
		if v.Value != test.want {
			t.Errorf("%s = %v, want %v", test.src, v.Value, test.want)
		}
	}
}
