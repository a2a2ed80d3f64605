package synthetic

import (
	"fmt"
	"sort"
	"strings"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// Workload is one synthetic allocation pattern.
type Workload struct {
	Name        string
	Description string // what it shows, with the Python it stands for
	// DefaultScale is the size parameter used when none is given.
	DefaultScale int
	sites        []string
	run          func(e *env, scale int) error
}

// env is what a workload's run function works with.
type env struct {
	o     *pyobj.Objects
	sites map[string]model.SiteID
	name  string
}

// at makes fn (a declared site's function name) the current site.
func (e *env) at(fn string) {
	id, ok := e.sites[fn]
	if !ok {
		panic(fmt.Sprintf("synthetic %s: site %q not declared", e.name, fn))
	}
	e.o.Heap.SetSite(id)
}

var registry = map[string]*Workload{}

func register(w *Workload) { registry[w.Name] = w }

// Names lists the workloads, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the workload called name; the error lists the known ones.
func Lookup(name string) (*Workload, error) {
	if w, ok := registry[name]; ok {
		return w, nil
	}
	return nil, fmt.Errorf("unknown workload %q; known workloads: %s", name, strings.Join(Names(), ", "))
}

// SiteLabel returns the label of site fn of workload w: "fn (w:line)",
// line being the site's position in the workload's list.
func (w *Workload) siteLabel(i int) string {
	return fmt.Sprintf("%s (%s:%d)", w.sites[i], w.Name, i+1)
}

// Declare registers w's sites and the allocators' types with h, so that a
// recorder started afterwards knows every name. It returns a Run function
// bound to h.
func (w *Workload) Declare(o *pyobj.Objects) *Run {
	e := &env{o: o, sites: make(map[string]model.SiteID), name: w.Name}
	for i, fn := range w.sites {
		e.sites[fn] = o.Heap.Site(w.siteLabel(i))
	}
	for _, t := range pyobj.Types() {
		o.Heap.Type(t)
	}
	return &Run{w: w, e: e}
}

// Run is a declared workload ready to run.
type Run struct {
	w *Workload
	e *env
}

// Do runs the workload at the given scale (0: its default).
func (r *Run) Do(scale int) error {
	if scale <= 0 {
		scale = r.w.DefaultScale
	}
	return r.w.run(r.e, scale)
}
