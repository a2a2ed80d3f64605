package syntax

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestScratchClassified(t *testing.T) {
	list := os.Getenv("CLASSES")
	if list == "" {
		t.Skip()
	}
	f, _ := os.Open(list)
	defer f.Close()
	sc := bufio.NewScanner(f)
	unsupported := map[string]int{}
	var falseErr, missed, both []string
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		src, err := os.ReadFile(parts[1])
		if err != nil {
			continue
		}
		_, perr := Parse(parts[1], src)
		switch {
		case parts[0] == "OK" && perr != nil && perr.(*Error).Unsupported:
			m := perr.(*Error).Msg
			if i := strings.IndexAny(m, "(;"); i > 0 {
				m = m[:i]
			}
			unsupported[m]++
		case parts[0] == "OK" && perr != nil:
			falseErr = append(falseErr, perr.Error())
		case parts[0] == "ERR" && perr == nil:
			missed = append(missed, parts[1]+" cpython: "+parts[2])
		case parts[0] == "ERR":
			both = append(both, "cpython: "+parts[2]+"\n      ours: "+perr.Error())
		}
	}
	var keys []string
	for k := range unsupported {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("unsupported %s: %d", k, unsupported[k])
	}
	for _, b := range falseErr {
		t.Logf("FALSE ERROR %s", b)
	}
	for _, b := range missed {
		t.Logf("MISSED %s", b)
	}
	for _, b := range both {
		t.Logf("BOTH %s", b)
	}
}
