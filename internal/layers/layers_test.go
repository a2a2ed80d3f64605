package layers

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/heaptrace/heaptrace"

// allowed lists, for each package (by path below the module, "" for a
// prefix match of everything below it), the heaptrace packages it may
// import. The layers, bottom up:
//
//	format                   the trace file; imports nothing of ours
//	model                    the heap; imports nothing of ours
//	model/pyobj              per-type allocators on model
//	workload/...             what drives the heap: pyobj, model
//	recorder                 the only bridge from model to format
//	analyze                  reads format only
//	export                   writes traces for other tools: format, analyze
//	internal/driver          joins the layers for the command
//	cmd/heaptrace            wires: driver, analyze, format, workload names
var allowed = map[string][]string{
	"format":                 {},
	"model":                  {},
	"model/pyobj":            {"model"},
	"workload/synthetic":     {"model", "model/pyobj"},
	"workload/python/syntax": {},
	"workload/python":        {"model", "model/pyobj", "workload/python/syntax"},
	"recorder":               {"model", "format"},
	"analyze":                {"format"},
	"export":                 {"format", "analyze"},
	"internal/driver":        {"model", "model/pyobj", "format", "recorder", "analyze", "internal/cpython", "workload/synthetic", "workload/python", "workload/python/syntax"},
	"internal/layers":        {},
	"internal/cpython":       {},
	"samples":                {},
	"cmd/heaptrace":          {"internal/driver", "internal/cpython", "samples", "analyze", "export", "format", "workload/synthetic", "workload/python", "workload/python/syntax", "model", "model/pyobj"},
}

func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		allow, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %q has no place in the layers: add it to allowed", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			ok := false
			for _, a := range allow {
				if dep == a {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s imports %s, which its layer does not allow", pkg, dep)
			}
		}
	}
}
