package export_test

import (
	"fmt"

	"github.com/heaptrace/heaptrace/export"
)

func ExampleParseFormat() {
	_, err := export.ParseFormat("xls")
	fmt.Println(err)
	f, _ := export.FormatOf("heap.pb.gz")
	fmt.Println(f)
	// Output:
	// unknown format "xls": the formats are parquet, csv, jsonl, pprof, svg, png, html
	// pprof
}
