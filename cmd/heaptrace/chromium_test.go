package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// This file drives a headless Chromium through the DevTools protocol over
// a pipe (--remote-debugging-pipe: commands on the browser's fd 3, replies
// and events on its fd 4, each a JSON message ended by a NUL byte). It
// needs nothing but the browser.

// findChromium returns the path of a Chromium or Chrome, or "".
func findChromium() string {
	if p := os.Getenv("HEAPTRACE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// cdpMessage is a DevTools protocol message: a reply (ID set) or an
// event (Method set).
type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// browser is a running headless Chromium and one page in it.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	in      io.WriteCloser
	msgs    chan cdpMessage
	id      int
	session string

	mu     sync.Mutex
	events []cdpMessage
	stderr *os.File
}

// startBrowser starts Chromium and opens a page with the page, runtime,
// log and network domains enabled, so that their events are kept.
func startBrowser(t *testing.T, chromium string, width, height int) *browser {
	t.Helper()
	cmdR, cmdW, err := os.Pipe() // our commands -> the browser's fd 3
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe() // the browser's fd 4 -> us
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := os.CreateTemp(t.TempDir(), "chromium-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
		"--user-data-dir="+t.TempDir(), "--no-first-run", "--no-default-browser-check",
		"--disable-extensions", "--disable-background-networking", "--disable-sync",
		"--disable-component-update", "--disable-default-apps", "--mute-audio",
		fmt.Sprintf("--window-size=%d,%d", width, height), "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, outW}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	cmdR.Close()
	outW.Close()
	b := &browser{t: t, cmd: cmd, in: cmdW, msgs: make(chan cdpMessage, 1024), stderr: stderr}
	t.Cleanup(b.close)
	go func() {
		r := bufio.NewReader(outR)
		for {
			data, err := r.ReadBytes(0)
			if err != nil {
				close(b.msgs)
				return
			}
			var m cdpMessage
			if json.Unmarshal(data[:len(data)-1], &m) == nil {
				b.msgs <- m
			}
		}
	}()

	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	for _, domain := range []string{"Page", "Runtime", "Log", "Network"} {
		b.do(domain+".enable", nil, nil)
	}
	b.do("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
	return b
}

func (b *browser) close() {
	b.in.Close()
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
}

// next returns the next message, failing the test after a timeout.
func (b *browser) next(timeout time.Duration) cdpMessage {
	select {
	case m, ok := <-b.msgs:
		if !ok {
			log, _ := os.ReadFile(b.stderr.Name())
			b.t.Fatalf("chromium closed the pipe; its output:\n%s", log)
		}
		return m
	case <-time.After(timeout):
		b.t.Fatalf("chromium: no message for %v", timeout)
	}
	return cdpMessage{}
}

// call sends a command in session (the browser's when "") and decodes its
// result into result, keeping the events that come meanwhile.
func (b *browser) call(session, method string, params, result any) {
	b.t.Helper()
	b.id++
	msg := map[string]any{"id": b.id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.in.Write(append(data, 0)); err != nil {
		b.t.Fatalf("chromium: send %s: %v", method, err)
	}
	for {
		m := b.next(30 * time.Second)
		if m.ID != b.id {
			if m.Method != "" {
				b.keep(m)
			}
			continue
		}
		if m.Error != nil {
			b.t.Fatalf("chromium: %s: %s", method, m.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				b.t.Fatalf("chromium: %s: %v", method, err)
			}
		}
		return
	}
}

// do sends a command to the page.
func (b *browser) do(method string, params, result any) {
	b.t.Helper()
	b.call(b.session, method, params, result)
}

func (b *browser) keep(m cdpMessage) {
	b.mu.Lock()
	b.events = append(b.events, m)
	b.mu.Unlock()
}

// waitEvent waits for an event of the page.
func (b *browser) waitEvent(method string, timeout time.Duration) {
	b.t.Helper()
	b.mu.Lock()
	for _, e := range b.events {
		if e.Method == method {
			b.mu.Unlock()
			return
		}
	}
	b.mu.Unlock()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		m := b.next(time.Until(deadline))
		if m.Method != "" {
			b.keep(m)
			if m.Method == method {
				return
			}
		}
	}
	b.t.Fatalf("chromium: no %s in %v", method, timeout)
}

// eval evaluates a JavaScript expression in the page and decodes its
// value into out.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.do("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if res.Exception != nil {
		b.t.Fatalf("evaluate %q: %s %s", expr, res.Exception.Text, res.Exception.Exception.Description)
	}
	if out != nil {
		if err := json.Unmarshal(res.Result.Value, out); err != nil {
			b.t.Fatalf("evaluate %q: %v (%s)", expr, err, res.Result.Value)
		}
	}
}

// mouse sends a mouse event at x, y (CSS pixels of the viewport).
func (b *browser) mouse(typ string, x, y float64, clicks int) {
	b.t.Helper()
	p := map[string]any{"type": typ, "x": x, "y": y}
	if typ != "mouseMoved" {
		p["button"] = "left"
		p["clickCount"] = clicks
	} else if clicks > 0 {
		p["button"] = "left"
		p["buttons"] = 1
	}
	b.do("Input.dispatchMouseEvent", p, nil)
}

// problems returns what the page reported as wrong so far: uncaught
// exceptions, console errors and warnings, log entries of level error or
// warning (blocked loads, CSP violations), and requests for anything but
// the page's own file.
func (b *browser) problems(page string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, e := range b.events {
		switch e.Method {
		case "Runtime.exceptionThrown":
			out = append(out, "exception: "+string(e.Params))
		case "Runtime.consoleAPICalled":
			var p struct {
				Type string `json:"type"`
			}
			json.Unmarshal(e.Params, &p)
			if p.Type == "error" || p.Type == "warning" || p.Type == "assert" {
				out = append(out, "console "+p.Type+": "+string(e.Params))
			}
		case "Log.entryAdded":
			var p struct {
				Entry struct {
					Level, Text, URL string
				} `json:"entry"`
			}
			json.Unmarshal(e.Params, &p)
			if p.Entry.Level == "error" || p.Entry.Level == "warning" {
				out = append(out, fmt.Sprintf("log %s: %s (%s)", p.Entry.Level, p.Entry.Text, p.Entry.URL))
			}
		case "Network.requestWillBeSent":
			var p struct {
				Request struct {
					URL string `json:"url"`
				} `json:"request"`
			}
			json.Unmarshal(e.Params, &p)
			if p.Request.URL != page {
				out = append(out, "request for "+p.Request.URL)
			}
		}
	}
	return out
}
