package python

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// The rows of the calibration table that need the interpreter: scripts run
// with the free lists empty (freelist.*: requests holds tracemalloc's
// [current, peak]) and instances of classes (the object and its values
// array). model/pyobj's TestCalibration checks every other row.
var interpreterRows = map[string]struct{ setup, src string }{
	"freelist.empty":           {"", ""},
	"freelist.float":           {"", "L = [i * 0.5 for i in range(300)]\ndel L"},
	"freelist.float_keep":      {"", "L = [i * 0.5 for i in range(300)]"},
	"freelist.float_prefilled": {"P = [i * 0.5 for i in range(300)]\ndel P", "L = [i * 0.5 for i in range(300)]"},
	"freelist.tuple":           {"", "L = [(i, i) for i in range(2500)]\ndel L"},
	"freelist.dict_str":        {"", "L = [{'a': i} for i in range(100)]\ndel L"},
	"freelist.dict_int":        {"", "L = [{i: i} for i in range(100)]\ndel L"},
	"freelist.list":            {"", "L = [[i] for i in range(100)]\ndel L"},
	"instance.first":           {"class C:\n    pass\n", "x = C()"},
	"instance.first_attrs":     {attrClass, "x = D()"},
	"instance.later":           {attrClass + "for _ in range(4):\n    D()\n", "x = D()"},
}

const attrClass = "class D:\n    def __init__(self):\n        self.a = 1\n        self.b = 2\n    def m(self):\n        pass\n"

// TestInterpreterCalibration runs the interpreter's rows of every
// profile's calibration table on that profile.
func TestInterpreterCalibration(t *testing.T) {
	for _, p := range pyobj.Profiles() {
		t.Run(p.Version, func(t *testing.T) { testInterpreterCalibration(t, p) })
	}
}

func testInterpreterCalibration(t *testing.T, p pyobj.Profile) {
	data, err := os.ReadFile("../../model/pyobj/testdata/" + p.Name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var cal struct {
		Rows []struct {
			Case     string  `json:"case"`
			Requests []int64 `json:"requests"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(data, &cal); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range cal.Rows {
		r, ok := interpreterRows[row.Case]
		if !ok {
			if strings.HasPrefix(row.Case, "freelist.") || strings.HasPrefix(row.Case, "instance.") {
				t.Errorf("row %s has no script here", row.Case)
			}
			continue
		}
		seen++
		tr := model.NewTracemalloc()
		h, _ := model.NewHeap(model.DefaultConfig(), tr)
		o := pyobj.New(h, p)
		opts := Options{}
		if r.setup != "" {
			sp, err := Parse("<setup>", []byte(r.setup))
			if err != nil {
				t.Fatal(err)
			}
			opts.Setup = sp
		}
		prog, err := Parse("snippet.py", []byte(r.src))
		if err != nil {
			t.Fatal(err)
		}
		in, err := prog.Declare(o, opts)
		if err != nil {
			t.Fatalf("%s: set-up: %v", row.Case, err)
		}
		tr.Start()
		if err := in.Run(); err != nil {
			t.Fatalf("%s: %v", row.Case, err)
		}
		var got []int64
		if strings.HasPrefix(row.Case, "freelist.") {
			got = []int64{tr.Current(), tr.Peak()}
		} else {
			got = tr.Sizes()
			slices.Sort(got)
		}
		if !slices.Equal(got, row.Requests) {
			t.Errorf("%s: model %v, CPython %v", row.Case, got, row.Requests)
		}
	}
	if seen != len(interpreterRows) {
		t.Errorf("checked %d rows, want %d", seen, len(interpreterRows))
	}
}
