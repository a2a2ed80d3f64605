package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// Without any interpreter, CompareVersions still compares the versions on
// the model, and says so.
func TestCompareVersionsModelOnly(t *testing.T) {
	src := []byte("words = ['word%d' % i for i in range(500)]\n\nclass P:\n    def __init__(self, x):\n        self.x = x\n\nps = [P(i) for i in range(50)]\n")
	path := filepath.Join(t.TempDir(), "v.py")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	none := func(v string) (cpython.Interpreter, error) { return cpython.Interpreter{}, errors.New("not installed") }
	vc, err := CompareVersions(context.Background(), none, path, src, pyobj.Profiles(), model.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vc.Versions) != 3 {
		t.Fatalf("%d versions", len(vc.Versions))
	}
	peak := func(i int) int64 { return vc.Versions[i].Measure("peak traced bytes").Model }
	// 3.12's str headers are 8 bytes smaller: 500 words, less in all
	if !(peak(1) < peak(0)) {
		t.Errorf("peaks %d, %d: want 3.12's below 3.11's", peak(0), peak(1))
	}
	for _, c := range vc.Versions {
		if c.CPythonMissing != "not installed" || c.Measure("peak traced bytes").CPython != 0 {
			t.Errorf("%s: missing %q", c.Profile, c.CPythonMissing)
		}
	}
	var str, inst *VersionType
	for i := range vc.ByType {
		switch vc.ByType[i].Type {
		case "str":
			str = &vc.ByType[i]
		case "P":
			inst = &vc.ByType[i]
		}
	}
	if str == nil || inst == nil {
		t.Fatalf("by type %+v", vc.ByType)
	}
	if str.Versions[0].ModelBytes-str.Versions[1].ModelBytes != 500*8 || str.Versions[1] != str.Versions[2] {
		t.Errorf("str by version %+v: want 3.12 and 3.13 8 bytes less a word", str.Versions)
	}
	if inst.Versions[0].ModelBytes != 50*56 || inst.Versions[2].ModelBytes != 50*48 {
		t.Errorf("instances by version %+v: want 56, then 48 bytes each", inst.Versions)
	}
	var text, js bytes.Buffer
	if err := vc.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"note: cpython-3.12: model only (not installed)", "Change from 3.11", "the model's figures", "3.13 bytes"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if err := vc.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back VersionComparison
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Versions) != 3 || back.Versions[2].Profile != "cpython-3.13" || len(back.ByType) != len(vc.ByType) {
		t.Errorf("JSON round trip: %v\n%.1000s", err, js.String())
	}
}
