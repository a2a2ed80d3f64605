package main

import (
	"errors"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/format"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds heaptrace once for the tests that need a real process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "heaptrace-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "heaptrace")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// A long deterministic script: its full trace is the reference for the
// cut ones.
const longScript = `d = {}
L = []
for i in range(120000):
    d[i % 997] = str(i)
    L.append(i * 0.5)
    if len(L) > 5000:
        L = []
`

// SIGINT and SIGTERM stop the script; the trace is closed properly and the
// exit status says so.
func TestSignalsCloseTheTrace(t *testing.T) {
	bin := binary(t)
	script := writeScript(t, "endless.py", "L = []\nwhile True:\n    L.append(str(len(L)))\n    if len(L) > 5000:\n        L = []\n")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		out := filepath.Join(t.TempDir(), "sig.arrow")
		cmd := exec.Command(bin, "record", script, "-o", out)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(400 * time.Millisecond)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
			t.Errorf("%v: exit %v, want %d; stderr %q", sig, err, exitInterrupted, stderr.String())
		}
		if !strings.Contains(stderr.String(), "stopped by a signal") {
			t.Errorf("%v: stderr %q does not say so", sig, stderr.String())
		}
		if n, truncated := readAll(t, out, nil); truncated || n == 0 {
			t.Errorf("%v: trace of %d events, truncated %v; want a complete trace", sig, n, truncated)
		}
	}
}

// readAll reads a trace; with ref, it checks every event against the
// reference trace's event of the same number (nothing invented).
func readAll(t *testing.T, path string, ref map[uint64]string) (int, bool) {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	var b format.Batch
	n := 0
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i := range b.Seq {
			if ref != nil {
				row := eventRow(&b, i)
				if ref[b.Seq[i]] != row {
					t.Fatalf("%s: event #%d is %q, the complete run's is %q", path, b.Seq[i], row, ref[b.Seq[i]])
				}
			}
			n++
			if b.Seq[i] != uint64(n) {
				t.Fatalf("%s: event #%d at position %d: numbers not contiguous", path, b.Seq[i], n)
			}
		}
	}
	return n, r.Truncated()
}

func eventRow(b *format.Batch, i int) string {
	return strings.Join([]string{b.Op[i].String(), b.Layer[i].String(),
		itoa(int64(b.Type[i])), itoa(b.Size[i]), itoa(b.Block[i]), itoa(int64(b.Addr[i])), itoa(int64(b.Site[i]))}, " ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A recording killed outright (SIGKILL) at random points leaves a file
// that reads up to its last complete batch: every event present is the
// complete run's event of that number, numbered without a gap, and the
// reader says the file was cut short.
func TestKilledRecordingIsReadable(t *testing.T) {
	bin := binary(t)
	script := writeScript(t, "long.py", longScript)
	full := filepath.Join(t.TempDir(), "full.arrow")
	if out, err := exec.Command(bin, "record", script, "-o", full, "--batch", "5000").CombinedOutput(); err != nil {
		t.Fatalf("full run: %v\n%s", err, out)
	}
	ref := map[uint64]string{}
	r, err := format.Open(full)
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	for r.Next(&b) == nil {
		for i := range b.Seq {
			ref[b.Seq[i]] = eventRow(&b, i)
		}
	}
	r.Close()
	rng := rand.New(rand.NewSource(7))
	for k := 0; k < 6; k++ {
		out := filepath.Join(t.TempDir(), "cut.arrow")
		cmd := exec.Command(bin, "record", script, "-o", out, "--batch", "5000")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(100+rng.Intn(400)) * time.Millisecond
		time.Sleep(delay)
		cmd.Process.Kill()
		cmd.Wait()
		fi, err := os.Stat(out)
		if err != nil || fi.Size() < 64 {
			t.Logf("kill %d after %v: nothing written yet", k, delay)
			continue
		}
		n, truncated := readAll(t, out, ref)
		if n > 0 && n < len(ref) && !truncated {
			t.Errorf("kill %d after %v: %d of %d events and not reported as cut short", k, delay, n, len(ref))
		}
		t.Logf("kill %d after %v: %d of %d events readable", k, delay, n, len(ref))
	}
}
