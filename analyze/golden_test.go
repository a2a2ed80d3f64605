package analyze

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"testing"
)

// The reports of a fixed generated trace, reviewed by eye and kept as
// golden files whose names say how they were made (go test ./analyze
// -update rewrites them). Their figures are checked against the oracle
// by TestReportsAgainstOracle; these files pin the layout.
func TestReportGoldens(t *testing.T) {
	path := genFile(t, 42, genOptions{ops: 400, drain: true})
	dir := filepath.Join("testdata", "gen-42")
	all := analyzeFile(t, path, Options{Points: 20, Top: 5})
	var buf bytes.Buffer
	if err := all.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join(dir, "all.top5.points20.txt"), buf.Bytes())
	buf.Reset()
	if err := all.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join(dir, "all.top5.points20.json"), buf.Bytes())

	for _, name := range ReportNames {
		t.Run(name, func(t *testing.T) {
			r := analyzeFile(t, path, Options{Points: 20, Top: 5, Reports: []string{name}})
			var buf bytes.Buffer
			if err := r.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(dir, name+".top5.points20.txt"), buf.Bytes())
			buf.Reset()
			if err := r.WriteCSV(&buf, name); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(dir, name+".top5.points20.csv"), buf.Bytes())
			// the CSV is one rectangular table
			rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
			if err != nil || len(rows) < 1 {
				t.Fatalf("csv: %v (%d rows)", err, len(rows))
			}
			// a report asked for alone is the one in the JSON, as when asked with the others
			js1, _ := json.Marshal(r.Reports)
			var one, every map[string]json.RawMessage
			json.Unmarshal(js1, &one)
			jsAll, _ := json.Marshal(all.Reports)
			json.Unmarshal(jsAll, &every)
			if len(one) != 1 || !bytes.Equal(one[name], every[name]) {
				t.Errorf("the %s report alone differs from the %s report among all:\n%s\n%s", name, name, one[name], every[name])
			}
		})
	}
}

// A diff of two generated traces, with thresholds crossed and not.
func TestDiffGolden(t *testing.T) {
	pa := genFile(t, 42, genOptions{ops: 400})
	pb := genFile(t, 43, genOptions{ops: 500})
	opts := Options{Reports: DiffReports}
	a, b := analyzeFile(t, pa, opts), analyzeFile(t, pb, opts)
	var ths []Threshold
	for _, e := range []string{"peak>64MiB", "growth>10%", "os.peak>=1MiB", "type:list.final<1KiB", "site:a.py.allocated>100KB"} {
		th, err := ParseThreshold(e)
		if err != nil {
			t.Fatal(err)
		}
		ths = append(ths, th)
	}
	d, err := Diff(a, b, 5, ths)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "diff")
	var buf bytes.Buffer
	if err := d.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join(dir, "gen-42.gen-43.top5.txt"), buf.Bytes())
	buf.Reset()
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join(dir, "gen-42.gen-43.top5.json"), buf.Bytes())
	buf.Reset()
	if err := d.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join(dir, "gen-42.gen-43.top5.csv"), buf.Bytes())
}
