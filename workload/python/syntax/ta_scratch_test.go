package syntax

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestScratchFind(t *testing.T) {
	list, want := os.Getenv("CLASSES"), os.Getenv("FIND")
	if want == "" {
		t.Skip()
	}
	f, _ := os.Open(list)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		src, _ := os.ReadFile(parts[1])
		if _, err := Parse(parts[1], src); err != nil && strings.Contains(err.Error(), want) {
			t.Log(err)
		}
	}
}
