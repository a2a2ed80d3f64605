package pyobj

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/model"
)

// calibration is testdata/cpython-X.Y.json, measured on the real
// interpreter by testdata/calibrate.py (see testdata/README.md).
type calibration struct {
	Python string `json:"python"`
	Rows   []struct {
		Case      string          `json:"case"`
		Arg       json.RawMessage `json:"arg"`
		Getsizeof int64           `json:"getsizeof"`
		Requests  []int64         `json:"requests"`
	} `json:"rows"`
}

// interpreterCases need the interpreter (instances' values arrays sized by
// their class's shared keys; free lists filled by a script, the freelist.*
// rows): workload/python's TestInterpreterCalibration runs their snippets.
// bytearray is outside the modelled subset of types.
var interpreterCases = map[string]bool{
	"instance.first": true, "instance.first_attrs": true, "instance.later": true,
	"bytearray": true,
}

// built is what a recipe made: the object's getsizeof as the model
// computes it.
type built struct{ sizeof int64 }

type recipe func(t *testing.T, o *Objects, arg string) built

// TestCalibration replays every row of every profile's calibration table
// through that profile's allocators.
func TestCalibration(t *testing.T) {
	for _, p := range Profiles() {
		t.Run(p.Version, func(t *testing.T) { testCalibration(t, p) })
	}
}

// TestCalibrationTables checks that every profile has its table and every
// table its profile.
func TestCalibrationTables(t *testing.T) {
	files, err := filepath.Glob("testdata/cpython-*.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "cpython-"), ".json"))
	}
	if want := Versions(); !slices.Equal(got, want) {
		t.Errorf("calibration tables for %v, profiles for %v", got, want)
	}
}

func testCalibration(t *testing.T, p Profile) {
	data, err := os.ReadFile("testdata/" + p.Name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var cal calibration
	if err := json.Unmarshal(data, &cal); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cal.Python, p.Version+".") {
		t.Fatalf("calibration measured on %s, want %s", cal.Python, p.Version)
	}
	checked := map[string]int{}
	for _, row := range cal.Rows {
		if strings.HasPrefix(row.Case, "freelist.") || interpreterCases[row.Case] {
			continue
		}
		r, ok := recipes[row.Case]
		if !ok {
			t.Errorf("case %q has no recipe and is not an interpreter case", row.Case)
			continue
		}
		var arg string
		if err := json.Unmarshal(row.Arg, &arg); err != nil {
			var n int
			if err := json.Unmarshal(row.Arg, &n); err != nil {
				t.Fatalf("%s: arg %s", row.Case, row.Arg)
			}
			arg = fmt.Sprint(n)
		}
		live := map[model.Addr]int64{}
		h, err := model.NewHeap(model.DefaultConfig(), model.ObserverFunc(func(e model.Event) {
			if e.Layer != model.LayerObject {
				return
			}
			switch e.Op {
			case model.OpAlloc, model.OpReallocTo:
				live[e.Addr] = e.Size
			case model.OpFree, model.OpReallocFrom:
				delete(live, e.Addr)
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		o := New(h, p)
		b := r(t, o, arg)
		o.ClearFreeLists() // the measurement runs gc.collect() before its snapshot
		var got []int64
		for _, n := range live {
			got = append(got, n)
		}
		slices.Sort(got)
		if b.sizeof != row.Getsizeof {
			t.Errorf("%s(%s): getsizeof %d, CPython %d", row.Case, short(arg), b.sizeof, row.Getsizeof)
		}
		if row.Case != "int.literal" && !slices.Equal(got, nonNil(row.Requests)) {
			t.Errorf("%s(%s): requests %v, CPython %v", row.Case, short(arg), got, row.Requests)
		}
		if err := h.Check(); err != nil {
			t.Errorf("%s(%s): %v", row.Case, short(arg), err)
		}
		checked[row.Case]++
	}
	total := 0
	for _, n := range checked {
		total += n
	}
	t.Logf("checked %d rows of %d cases against CPython %s", total, len(checked), cal.Python)
}

func nonNil(s []int64) []int64 {
	if len(s) == 0 {
		return nil
	}
	return s
}

func short(s string) string {
	if len(s) > 20 {
		return s[:17] + "..."
	}
	return s
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func bigint(t *testing.T, s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("bad int %q", s)
	}
	return v
}

func strHash(s string) int64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	return int64(f.Sum64() >> 1)
}

func appendN(t *testing.T, o *Objects, l *List, n int) {
	for i := 0; i < n; i++ {
		if err := o.Lists.Resize(l, l.Len+1); err != nil {
			t.Fatal(err)
		}
	}
}

func strRecipe(kind StrKind) recipe {
	return func(t *testing.T, o *Objects, arg string) built {
		n := atoi(t, arg)
		if !o.Strs.Cached(kind, n) {
			must[model.Addr](t)(o.Strs.New(kind, n))
		}
		switch {
		case n == 0:
			return built{o.Strs.SizeOf(StrASCII, 0)} // '' is the one empty string, compact ASCII
		case o.Strs.Cached(kind, n):
			return built{o.Strs.SingletonSizeOf(kind)}
		}
		return built{o.Strs.SizeOf(kind, n)}
	}
}

func fixed(parts ...func(o *Objects) (model.Addr, error)) recipe {
	return func(t *testing.T, o *Objects, _ string) built {
		var size int64
		for i, p := range parts {
			a := must[model.Addr](t)(p(o))
			if i == 0 {
				size = o.Heap.SizeOf(a)
			}
		}
		return built{size}
	}
}

// obj is a fixed-size object of the profile's size for its type.
func obj(name string) func(o *Objects) (model.Addr, error) {
	return func(o *Objects) (model.Addr, error) {
		size, ok := o.Profile.FixedSizes[name]
		if !ok {
			return 0, fmt.Errorf("no fixed size for %s", name)
		}
		return o.Fixed.New(name, size)
	}
}

// objSized is an object of a type the interpreter does not model.
func objSized(name string, size int64) func(o *Objects) (model.Addr, error) {
	return func(o *Objects) (model.Addr, error) { return o.Fixed.New(name, size) }
}

func tuple(n int) func(o *Objects) (model.Addr, error) {
	return func(o *Objects) (model.Addr, error) { return o.Tuples.New(n) }
}

var recipes = map[string]recipe{
	"int.literal": func(t *testing.T, o *Objects, arg string) built {
		return built{o.Ints.SizeOf(o.Ints.Digits(bigint(t, arg)))}
	},
	"int.arith": func(t *testing.T, o *Objects, arg string) built { // (v-1) + 1
		v := bigint(t, arg)
		a := new(big.Int).Sub(v, big.NewInt(1))
		d := o.Ints.Digits
		must[model.Addr](t)(o.Ints.NewBytes(o.Ints.AddRequest(d(a), 1, d(v), true)))
		return built{o.Ints.SizeOf(d(v))}
	},
	"int.arith_halves": func(t *testing.T, o *Objects, arg string) built { // v//2 + (v - v//2)
		v := bigint(t, arg)
		a := new(big.Int).Rsh(v, 1)
		b := new(big.Int).Sub(v, a)
		d := o.Ints.Digits
		must[model.Addr](t)(o.Ints.NewBytes(o.Ints.AddRequest(d(a), d(b), d(v), true)))
		return built{o.Ints.SizeOf(d(v))}
	},
	"int.from_str": func(t *testing.T, o *Objects, arg string) built {
		v := bigint(t, arg)
		must[model.Addr](t)(o.Ints.New(o.Ints.Digits(v), IntExact))
		return built{o.Ints.SizeOf(o.Ints.Digits(v))}
	},
	"float": func(t *testing.T, o *Objects, _ string) built {
		must[model.Addr](t)(o.Floats.New())
		return built{o.Floats.SizeOf()}
	},
	"complex":    fixed(objSized("complex", 32)),
	"str.ascii":  strRecipe(StrASCII),
	"str.latin1": strRecipe(StrLatin1),
	"str.bmp":    strRecipe(StrBMP),
	"str.astral": strRecipe(StrAstral),
	"bytes": func(t *testing.T, o *Objects, arg string) built { // b'x' * n
		n := atoi(t, arg)
		if n != 1 { // b * 1 is b itself; b * 0 makes a new empty bytes
			must[model.Addr](t)(o.Bytes.New(n))
		}
		return built{o.Bytes.SizeOf(n)}
	},
	"tuple": func(t *testing.T, o *Objects, arg string) built {
		n := atoi(t, arg)
		must[model.Addr](t)(o.Tuples.New(n))
		return built{o.Tuples.SizeOf(n)}
	},
	"list.append": func(t *testing.T, o *Objects, arg string) built {
		l := must[*List](t)(o.Lists.New(0))
		appendN(t, o, l, atoi(t, arg))
		return built{o.Lists.SizeOf(l)}
	},
	"list.comp": func(t *testing.T, o *Objects, arg string) built {
		l := must[*List](t)(o.Lists.New(0))
		appendN(t, o, l, atoi(t, arg))
		return built{o.Lists.SizeOf(l)}
	},
	"list.range": func(t *testing.T, o *Objects, arg string) built { // list(range(n))
		n := atoi(t, arg)
		l := must[*List](t)(o.Lists.New(0))
		if err := o.Lists.PreallocateExact(l, n); err != nil {
			t.Fatal(err)
		}
		return built{o.Lists.SizeOf(l)}
	},
	"list.const_display": func(t *testing.T, o *Objects, arg string) built { // BUILD_LIST 0 + LIST_EXTEND
		l := must[*List](t)(o.Lists.New(0))
		if err := o.Lists.PreallocateExact(l, atoi(t, arg)); err != nil {
			t.Fatal(err)
		}
		return built{o.Lists.SizeOf(l)}
	},
	"list.repeat": func(t *testing.T, o *Objects, arg string) built {
		l := must[*List](t)(o.Lists.NewPrealloc(atoi(t, arg)))
		return built{o.Lists.SizeOf(l)}
	},
	"list.slice": func(t *testing.T, o *Objects, arg string) built {
		l := must[*List](t)(o.Lists.NewPrealloc(atoi(t, arg)))
		return built{o.Lists.SizeOf(l)}
	},
	"list.display": func(t *testing.T, o *Objects, arg string) built { // BUILD_LIST n
		l := must[*List](t)(o.Lists.New(atoi(t, arg)))
		return built{o.Lists.SizeOf(l)}
	},
	"list.pop_shrink": func(t *testing.T, o *Objects, arg string) built {
		l := must[*List](t)(o.Lists.New(0))
		appendN(t, o, l, 40)
		for i := 0; i < atoi(t, arg); i++ {
			if err := o.Lists.Resize(l, l.Len-1); err != nil {
				t.Fatal(err)
			}
		}
		return built{o.Lists.SizeOf(l)}
	},
	"str.split": func(t *testing.T, o *Objects, arg string) built { // ' '.join(['ab']*n).split()
		n := atoi(t, arg)
		length := max(3*n-1, 0)
		prealloc := o.Profile.SplitPrealloc(length, 0, -1)
		l := must[*List](t)(o.Lists.New(prealloc))
		for i := 0; i < n; i++ {
			if n > 1 { // a string with nothing to split is put in the list itself
				must[model.Addr](t)(o.Strs.New(StrASCII, 2))
			}
			if i >= prealloc {
				appendN(t, o, l, 1)
			}
		}
		return built{o.Lists.SizeOf(l)}
	},
	"dict.str_keys": dictInserts(true),
	"dict.int_keys": dictInserts(false),
	"dict.comp":     dictInserts(true),
	"dict.display": func(t *testing.T, o *Objects, arg string) built {
		n := atoi(t, arg)
		d := must[*Dict](t)(o.Dicts.NewPresized(n, true))
		for i := 0; i < n; i++ {
			if err := o.Dicts.Insert(d, true); err != nil {
				t.Fatal(err)
			}
		}
		return built{o.Dicts.SizeOf(d)}
	},
	"dict.churn": func(t *testing.T, o *Objects, arg string) built {
		d := must[*Dict](t)(o.Dicts.New())
		for i := 0; i < 10; i++ {
			must[struct{}](t)(struct{}{}, o.Dicts.Insert(d, true))
		}
		for i := 0; i < atoi(t, arg); i++ {
			o.Dicts.Delete(d)
			must[struct{}](t)(struct{}{}, o.Dicts.Insert(d, true))
		}
		return built{o.Dicts.SizeOf(d)}
	},
	"dict.delete": func(t *testing.T, o *Objects, arg string) built {
		d := must[*Dict](t)(o.Dicts.New())
		for i := 0; i < 40; i++ {
			must[struct{}](t)(struct{}{}, o.Dicts.Insert(d, true))
		}
		for i := 0; i < atoi(t, arg); i++ {
			o.Dicts.Delete(d)
		}
		return built{o.Dicts.SizeOf(d)}
	},
	"set.int":   setAdds(func(i int) (int64, any) { return int64(i), int64(i) }),
	"set.range": setAdds(func(i int) (int64, any) { return int64(i), int64(i) }),
	"set.str": setAdds(func(i int) (int64, any) {
		k := fmt.Sprintf("k%d", i)
		return strHash(k), k
	}),
	"set.churn_int": func(t *testing.T, o *Objects, arg string) built {
		s := must[*Set](t)(o.Sets.New())
		for i := 0; i < 10; i++ {
			must[bool](t)(o.Sets.Add(s, int64(i), int64(i)))
		}
		for i := 0; i < atoi(t, arg); i++ {
			if !o.Sets.Discard(s, int64(i)) {
				t.Fatalf("discard %d: not in the set", i)
			}
			must[bool](t)(o.Sets.Add(s, int64(i+10), int64(i+10)))
		}
		return built{o.Sets.SizeOf(s)}
	},
	"function":         fixed(obj("function")),
	"lambda":           fixed(obj("function")),
	"cell":             fixed(obj("function"), tuple(1), obj("cell")),
	"range":            fixed(obj("range")),
	"range_big":        fixed(obj("range"), func(o *Objects) (model.Addr, error) { return o.Ints.New(1, IntFromLong) }),
	"list_iterator":    fixed(obj("list_iterator")),
	"range_iterator":   fixed(obj("range_iterator")),
	"tuple_iterator":   fixed(obj("tuple_iterator")),
	"str_iterator":     fixed(obj("str_ascii_iterator")),
	"dict_keyiterator": fixed(obj("dict_keyiterator")),
	"set_iterator":     fixed(obj("set_iterator")),
	"enumerate":        fixed(obj("enumerate"), obj("list_iterator"), tuple(2)),
	"zip":              fixed(obj("zip"), obj("list_iterator"), obj("list_iterator"), tuple(2), tuple(2)),
	"reversed_list":    fixed(obj("list_reverseiterator")),
	"bound_method":     fixed(obj("builtin_function_or_method")),
	"bound_method_py":  fixed(obj("method")),
	"slice":            fixed(obj("slice")),
}

func dictInserts(strKeys bool) recipe {
	return func(t *testing.T, o *Objects, arg string) built {
		d := must[*Dict](t)(o.Dicts.New())
		for i := 0; i < atoi(t, arg); i++ {
			if err := o.Dicts.Insert(d, strKeys); err != nil {
				t.Fatal(err)
			}
		}
		return built{o.Dicts.SizeOf(d)}
	}
}

func setAdds(key func(int) (int64, any)) recipe {
	return func(t *testing.T, o *Objects, arg string) built {
		s := must[*Set](t)(o.Sets.New())
		for i := 0; i < atoi(t, arg); i++ {
			h, k := key(i)
			if added := must[bool](t)(o.Sets.Add(s, h, k)); !added {
				t.Fatalf("key %v added twice", k)
			}
		}
		return built{o.Sets.SizeOf(s)}
	}
}
