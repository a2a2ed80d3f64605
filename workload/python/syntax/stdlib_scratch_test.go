package syntax

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestScratchStdlib(t *testing.T) {
	root := os.Getenv("STDLIB")
	if root == "" {
		t.Skip()
	}
	unsupported := map[string]int{}
	var bad []string
	n := 0
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".py") {
			return nil
		}
		src, _ := os.ReadFile(path)
		n++
		_, perr := Parse(path, src)
		if perr == nil {
			return nil
		}
		e := perr.(*Error)
		if e.Unsupported {
			unsupported[strings.SplitN(e.Msg, " ", 3)[0]+" "+strings.SplitN(e.Msg+" x", " ", 3)[1]]++
			return nil
		}
		bad = append(bad, perr.Error())
		return nil
	})
	t.Logf("%d files", n)
	var keys []string
	for k := range unsupported {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("unsupported %s: %d", k, unsupported[k])
	}
	for _, b := range bad {
		t.Logf("BAD %s", b)
	}
}
