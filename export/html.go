// This file defines the html export: one self-contained page with the
// summary, the growth chart, and the tables of package analyze's reports.

package export

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
)

// The page's parts. The page holds them all, the chart's data included:
// it loads nothing, and its Content-Security-Policy forbids it to.
var (
	//go:embed report.html
	reportHTML string
	//go:embed report.css
	reportCSS string
	//go:embed report.js
	reportJS string
)

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"bytes": analyze.Bytes,
	"count": countAny,
	"sub":   func(a, b int64) int64 { return a - b },
	"join":  strings.Join,
	"layerMeaning": func(layer string) string {
		return layerMeanings[layer]
	},
}).Parse(reportHTML))

// layerMeanings say what each of analyze's layers counts.
var layerMeanings = map[string]string{
	"objects":   "requested bytes (tracemalloc's current and peak)",
	"allocator": "pymalloc blocks and malloc chunks in use",
	"os":        "memory mapped from the OS",
}

// countAny formats any integer as analyze.Count does.
func countAny(v any) string {
	switch n := v.(type) {
	case int:
		return analyze.Count(int64(n))
	case int64:
		return analyze.Count(n)
	case uint64:
		return analyze.Count(int64(n))
	}
	return fmt.Sprint(v)
}

// htmlReports are the reports the page shows.
var htmlReports = []string{"summary", "types", "peak", "sites", "leaks"}

// page is what the template fills the page with.
type page struct {
	Title     string
	Report    *analyze.Report
	Chart     *chartData
	ChartJSON template.JS
	CSS       template.CSS
	Script    template.JS
}

// writeHTML writes the html report of the trace.
func writeHTML(w io.Writer, r *format.Reader, path, name string, opts Options) (uint64, error) {
	points := opts.Points
	if points == 0 {
		points = 4000
	}
	if opts.Top == 0 {
		opts.Top = 25
	}
	rep, c, events, err := loadChart(r, path, name, htmlReports, points, 1000, opts)
	if err != nil {
		return events, err
	}
	data, err := json.Marshal(c) // escapes <, > and &: safe inside <script>
	if err != nil {
		return events, err
	}
	return events, reportTemplate.Execute(w, page{
		Title:     c.Title,
		Report:    rep,
		Chart:     c,
		ChartJSON: template.JS(data),
		CSS:       template.CSS(reportCSS),
		Script:    template.JS(reportJS),
	})
}
