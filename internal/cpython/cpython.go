package cpython

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:embed harness.py
var harness string

// Measurement is what the harness reports for one script.
type Measurement struct {
	Python  string // the interpreter's full version, e.g. "3.11.7"
	Current int64  // bytes traced at the end (exec's function freed)
	Peak    int64  // highest traced bytes, exec's function object included
	Blocks  int    // live traces at the end
	// ByType sums sys.getsizeof per type name over the objects reachable
	// from the script's globals (see the package documentation).
	ByType map[string]TypeSize
	Error  *ScriptError // the script's uncaught exception, or nil
}

// TypeSize is the number and the total sys.getsizeof of objects of a type.
type TypeSize struct {
	Count int
	Bytes int64
}

// ScriptError is an exception the script raised (or, from Measure's
// error, its SyntaxError).
type ScriptError struct {
	Type, Message string
	Line          int
}

func (e *ScriptError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%s (line %d)", e.Type, e.Line)
	}
	return fmt.Sprintf("%s: %s (line %d)", e.Type, e.Message, e.Line)
}

// Interpreter is a Python to run the harness with: Path with Env added to
// the environment.
type Interpreter struct {
	Path    string
	Env     []string // extra KEY=value entries, e.g. PYENV_VERSION=3.12.1
	Version string   // full version, e.g. "3.12.1"
}

var minorRE = regexp.MustCompile(`^3\.[0-9]+$`)

// probeTimeout bounds each command Find runs.
const probeTimeout = 30 * time.Second

// Find returns the interpreter for a version ("3.11", "3.12", "3.13"):
// python3 when it is that version, else the newest pyenv installation of
// it (its own binary, or python3 with PYENV_VERSION set), or an error
// saying what is missing.
func Find(version string) (Interpreter, error) {
	if !minorRE.MatchString(version) {
		return Interpreter{}, fmt.Errorf("cpython: version %q: want 3.N, e.g. 3.11", version)
	}
	var have string
	if p, err := exec.LookPath("python3"); err == nil {
		ip := Interpreter{Path: p}
		if v, err := ip.probe(); err == nil && minorOf(v) == version {
			ip.Version = v
			return ip, nil
		} else if err == nil {
			have = fmt.Sprintf("python3 is %s", v)
		} else {
			have = fmt.Sprintf("python3 (%s) does not run: %v", p, err)
		}
	} else {
		have = "python3 is not on PATH"
	}
	pyenv, err := exec.LookPath("pyenv")
	if err != nil {
		return Interpreter{}, fmt.Errorf("cpython: no Python %s: %s, and pyenv is not installed", version, have)
	}
	out, err := run(pyenv, nil, "versions", "--bare")
	if err != nil {
		return Interpreter{}, fmt.Errorf("cpython: no Python %s: %s, and pyenv versions failed: %v", version, have, err)
	}
	full := newest(strings.Fields(string(out)), version)
	if full == "" {
		return Interpreter{}, fmt.Errorf("cpython: no Python %s: %s, and pyenv has none (pyenv install %s)", version, have, version)
	}
	var candidates []Interpreter
	if prefix, err := run(pyenv, nil, "prefix", full); err == nil {
		p := filepath.Join(strings.TrimSpace(string(prefix)), "bin", "python3")
		candidates = append(candidates, Interpreter{Path: p})
	}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, Interpreter{Path: p, Env: []string{"PYENV_VERSION=" + full}})
	}
	for _, ip := range candidates {
		if v, err := ip.probe(); err == nil && v == full {
			ip.Version = v
			return ip, nil
		}
	}
	return Interpreter{}, fmt.Errorf("cpython: pyenv lists %s but neither its prefix nor PYENV_VERSION=%s python3 runs it", full, full)
}

// newest returns the highest plain release X.Y.Z of the minor version among
// pyenv's names ("3.13.0t", "3.12-dev" and the like are left out).
func newest(names []string, minor string) string {
	best, bestPatch := "", -1
	for _, n := range names {
		patch, ok := strings.CutPrefix(n, minor+".")
		if !ok {
			continue
		}
		if p, err := strconv.Atoi(patch); err == nil && p > bestPatch {
			best, bestPatch = n, p
		}
	}
	return best
}

func minorOf(v string) string {
	if i := strings.LastIndexByte(v, '.'); i > 0 {
		return v[:i]
	}
	return v
}

// probe returns the interpreter's full version.
func (ip Interpreter) probe() (string, error) {
	out, err := run(ip.Path, ip.environ(), "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func run(name string, env []string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, msg)
		}
		return nil, fmt.Errorf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out, nil
}

// environ is the environment the interpreter runs in: ours without any
// PYTHON* variable (PYTHONTRACEMALLOC, PYTHONMALLOC, PYTHONDEVMODE,
// PYTHONOPTIMIZE, PYTHONPATH... would each change the figures), then
// ip.Env, then PYTHONHASHSEED=0.
func (ip Interpreter) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PYTHON") {
			env = append(env, kv)
		}
	}
	env = append(env, ip.Env...)
	return append(env, "PYTHONHASHSEED=0")
}

// report is the harness's JSON.
type report struct {
	Python  string `json:"python"`
	Current *int64 `json:"current"`
	Peak    *int64 `json:"peak"`
	Blocks  *int   `json:"blocks"`
	ByType  map[string]struct {
		Count int   `json:"count"`
		Bytes int64 `json:"bytes"`
	} `json:"by_type"`
	Error *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
		Line    int    `json:"line"`
	} `json:"error"`
}

// Measure runs script (a file name) on the interpreter with the harness and
// returns its figures. The script's uncaught exception is in
// Measurement.Error; a SyntaxError is returned as an error wrapping a
// *ScriptError. ctx bounds the run.
func (ip Interpreter) Measure(ctx context.Context, script string) (*Measurement, error) {
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("cpython: script %s: %w", script, err)
	}
	// -S: no site, so no .pth file of the installation imports modules at
	// start-up (that would make those imports free for the script).
	cmd := exec.CommandContext(ctx, ip.Path, "-S", "-c", harness, script)
	cmd.Env = ip.environ()
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("cpython: %s on %s: %w", script, ip.Path, ctx.Err())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() == 2:
		// A SyntaxError: the JSON below carries it.
	case errors.As(err, &exit):
		return nil, fmt.Errorf("cpython: %s: harness failed on %s (%v): %s", script, ip.Path, err, strings.TrimSpace(stderr.String()))
	default:
		return nil, fmt.Errorf("cpython: %s: cannot run Python %s: %w", script, ip.Path, err)
	}
	var r report
	if jerr := json.Unmarshal(stdout.Bytes(), &r); jerr != nil || r.Python == "" || r.Current == nil || r.Peak == nil || r.Blocks == nil {
		if jerr == nil {
			jerr = errors.New("fields missing")
		}
		return nil, fmt.Errorf("cpython: %s: malformed harness output (%v): %.200q; stderr: %s", script, jerr, stdout.String(), strings.TrimSpace(stderr.String()))
	}
	m := &Measurement{Python: r.Python, Current: *r.Current, Peak: *r.Peak, Blocks: *r.Blocks, ByType: map[string]TypeSize{}}
	for name, ts := range r.ByType {
		m.ByType[name] = TypeSize{Count: ts.Count, Bytes: ts.Bytes}
	}
	if r.Error != nil {
		m.Error = &ScriptError{Type: r.Error.Type, Message: r.Error.Message, Line: r.Error.Line}
	}
	if err != nil { // exit status 2
		if m.Error == nil {
			return nil, fmt.Errorf("cpython: %s: harness exited with status 2 but reported no error", script)
		}
		return nil, fmt.Errorf("cpython: %s: %w", script, m.Error)
	}
	return m, nil
}
