package format

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocExample checks the worked example of doc.go and SCHEMA.md against
// the trace it describes: the rows they quote and the running sum.
func TestDocExample(t *testing.T) {
	h, events := workedExample()
	golden, err := os.ReadFile(filepath.Join("testdata", "dump-example.golden"))
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	current := int64(0)
	for i := 0; i < events.Len(); i++ {
		if events.Layer[i] != LayerObject {
			continue
		}
		switch events.Op[i] {
		case OpAlloc, OpReallocTo:
			current += events.Size[i]
		case OpFree, OpReallocFrom:
			current -= events.Size[i]
		}
		sums = append(sums, fmt.Sprint(current))
	}
	sum := strings.Join(sums, ", ")

	for _, name := range []string{"doc.go", "SCHEMA.md"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if !strings.Contains(strings.Join(strings.Fields(strings.ReplaceAll(text, "//", "")), " "), "is "+sum) {
			t.Errorf("%s does not give the running sum %q", name, sum)
		}
		rows := 0
		for _, line := range strings.Split(text, "\n") {
			switch {
			case strings.HasPrefix(line, "//\t#"):
				rows++
				if !strings.Contains(string(golden), strings.TrimPrefix(line, "//\t")+"\n") {
					t.Errorf("%s: row %q is not in the example's dump", name, line)
				}
			case schemaRow.MatchString(line):
				rows++
				m := schemaRow.FindStringSubmatch(line)
				var seq int
				fmt.Sscan(m[1], &seq)
				i := seq - 1
				if i < 0 || i >= events.Len() {
					t.Errorf("%s: row %q: no event %d", name, line, seq)
					continue
				}
				got := fmt.Sprintf("%s %s %s %d %s", events.Op[i], events.Layer[i], h.Types[events.Type[i]], events.Size[i], h.Sites[events.Site[i]])
				want := strings.Join([]string{m[2], m[3], m[4], m[5], m[6]}, " ")
				if got != want {
					t.Errorf("%s: row %d is %q, the trace has %q", name, seq, want, got)
				}
			}
		}
		if rows < 5 {
			t.Errorf("%s: found %d example rows, want at least 5", name, rows)
		}
	}
}

// schemaRow matches a row of SCHEMA.md's example table.
var schemaRow = regexp.MustCompile("^\\| (\\d+) \\| (\\w+) \\| (\\w+) \\| ([\\w.]+) \\| (\\d+) \\| `([^`]+)` \\|$")
