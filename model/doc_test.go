package model

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The size-class table in doc.go is generated from DefaultConfig; this
// test fails when the two differ (print the table with -v to update doc.go).
func TestDocSizeClasses(t *testing.T) {
	c := DefaultConfig()
	var b strings.Builder
	fmt.Fprintf(&b, "//\tclass  block  blocks/pool  wasted/pool\n")
	for i := 0; i < c.NumSizeClasses(); i++ {
		n := c.BlocksPerPool(i)
		wasted := c.PoolSize - c.PoolOverhead - int64(n)*c.ClassSize(i)
		fmt.Fprintf(&b, "//\t%5d  %5d  %11d  %11d\n", i, c.ClassSize(i), n, wasted)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), b.String()) {
		t.Errorf("doc.go's size-class table is out of date; it should read:\n%s", b.String())
	}
}
