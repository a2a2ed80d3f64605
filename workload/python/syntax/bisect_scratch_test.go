package syntax

import (
	"os"
	"strings"
	"testing"
)

func TestScratchBisect(t *testing.T) {
	file := os.Getenv("BISECT")
	if file == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(file)
	_, err := Parse("f.py", src)
	t.Logf("full: %v", err)
	root := (&parser{src: src}).debugTree()
	_ = root
	lines := strings.SplitAfter(string(src), "\n")
	for _, l := range lines {
		if strings.Contains(l, "\\N{") || strings.Contains(l, "\\u") {
		}
	}
}

func (p *parser) debugTree() *cnode {
	p.splitLines()
	root := p.parseTree()
	te := p.firstTreeError(root)
	if te != nil {
		n := te.node
		lo, hi := max(n.start-200, 0), min(n.end+100, len(p.src))
		println("ERROR node", n.kind, n.missing, n.startRow+1, n.startCol, n.endRow+1, n.endCol, "\n----\n"+string(p.src[lo:n.start])+"<<<"+string(p.src[n.start:n.end])+">>>"+string(p.src[n.end:hi]))
	}
	return root
}
