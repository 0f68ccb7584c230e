// Command bench measures a running tweets server the way its
// users load it, side by side with the machine's HTTP limit.
//
// For each scenario (the anonymous timeline, logged-in home timelines,
// a thread, a profile, a deep cursor page, the API home timeline,
// posting) it runs wrk at each concurrency, then serves a precomputed
// response of the same size from a plain Go server in this process and
// runs wrk against that too: the baseline. Each figure is also given as
// a fraction of its baseline, measured minutes apart on the same
// machine, so that noisy machines still compare.
//
//	go run ./deploy/bench -url http://127.0.0.1:8000 -password seedpass123 -pid 1234 -json out.json
//	go run ./deploy/bench curve 10k.json 100k.json 1m.json
//
// It finds what to request through the server's own API (recent
// statuses, their authors, the most-followed account's followers) and
// logs in as those accounts with the password all seeded accounts share.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "curve" {
		if err := curve(os.Stdout, os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "tweets-bench curve:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.base, "url", "http://127.0.0.1:8000", "the server, on loopback")
	flag.StringVar(&o.password, "password", "seedpass123", "the password the seeded accounts share")
	flag.IntVar(&o.pid, "pid", 0, "the server's process id, to read its memory (0: not read)")
	flag.StringVar(&o.conns, "conns", "32,64", "concurrencies to measure, comma-separated")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measurement runs")
	flag.StringVar(&o.only, "only", "", "scenarios to run, comma-separated (default: all)")
	flag.StringVar(&o.label, "label", "", "what this run is (the database, the data set), for the report")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file")
	flag.Parse()
	if err := o.check(); err != nil {
		fmt.Fprintln(os.Stderr, "tweets-bench:", err)
		os.Exit(2)
	}
	rep, err := run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tweets-bench:", err)
		os.Exit(1)
	}
	rep.markdown(os.Stdout)
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "tweets-bench:", err)
			os.Exit(1)
		}
	}
}

type options struct {
	base, password, conns, only, label, jsonOut string
	pid                                         int
	duration                                    time.Duration
	connList                                    []int
}

func (o *options) check() error {
	host := strings.TrimPrefix(strings.TrimPrefix(o.base, "http://"), "https://")
	h, _, err := net.SplitHostPort(strings.TrimSuffix(host, "/"))
	if err != nil {
		return fmt.Errorf("-url %q: give http://host:port", o.base)
	}
	if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url %q: benchmarks load loopback only", o.base)
	}
	for _, c := range strings.Split(o.conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 || n > 10000 {
			return fmt.Errorf("-conns %q: give numbers from 1 to 10000", o.conns)
		}
		o.connList = append(o.connList, n)
	}
	if o.duration < time.Second || o.duration > 10*time.Minute {
		return fmt.Errorf("-duration %s: give 1s to 10m", o.duration)
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed (apt-get install wrk)")
	}
	return nil
}

// result is one scenario at one concurrency, beside its baseline.
type result struct {
	Scenario    string  `json:"scenario"`
	Conns       int     `json:"conns"`
	Bytes       int     `json:"bytes"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	Errors      int     `json:"errors"`
	BaselineRPS float64 `json:"baseline_rps,omitempty"`
	BaselineP99 float64 `json:"baseline_p99_ms,omitempty"`
	OfBaseline  float64 `json:"of_baseline,omitempty"`
	Requests    int     `json:"requests"`
	Note        string  `json:"note,omitempty"`
}

type report struct {
	Label    string   `json:"label"`
	Cores    int      `json:"cores"`
	Duration string   `json:"duration"`
	Results  []result `json:"results"`
	// Memory of the server, from /proc: resident now and its high-water
	// mark since it started.
	RSSMB     float64 `json:"rss_mb,omitempty"`
	PeakRSSMB float64 `json:"peak_rss_mb,omitempty"`
}

func run(ctx context.Context, o options) (*report, error) {
	fx, err := discover(ctx, o)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "tweets-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	script := filepath.Join(work, "rotate.lua")
	if err := os.WriteFile(script, []byte(rotateLua), 0o600); err != nil {
		return nil, err
	}
	rep := &report{Label: o.label, Cores: runtime.NumCPU(), Duration: o.duration.String()}
	for _, sc := range fx.scenarios() {
		if o.only != "" && !strings.Contains(","+o.only+",", ","+sc.name+",") {
			continue
		}
		fmt.Fprintf(os.Stderr, "measuring %s (%d requests in rotation) ...\n", sc.name, len(sc.reqs))
		reqFile := filepath.Join(work, sc.name+".reqs")
		if err := writeRequests(reqFile, sc.reqs); err != nil {
			return nil, err
		}
		size, err := responseSize(ctx, o.base, sc.reqs[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.name, err)
		}
		for _, c := range o.connList {
			r, err := wrk(ctx, o.base, script, reqFile, c, o.duration)
			if err != nil {
				return nil, fmt.Errorf("%s at %d connections: %w", sc.name, c, err)
			}
			r.Scenario, r.Conns, r.Bytes, r.Note = sc.name, c, size, sc.note
			if !sc.write {
				b, err := baseline(ctx, script, work, size, c, o.duration)
				if err != nil {
					return nil, fmt.Errorf("baseline of %d bytes: %w", size, err)
				}
				r.BaselineRPS, r.BaselineP99 = b.RPS, b.P99ms
				if b.RPS > 0 {
					r.OfBaseline = r.RPS / b.RPS
				}
			}
			rep.Results = append(rep.Results, r)
		}
	}
	if o.pid > 0 {
		rep.RSSMB, rep.PeakRSSMB = memory(o.pid)
	}
	return rep, nil
}

// request is one request of a rotation, as wrk sends it.
type request struct {
	method, path string
	headers      map[string]string
	body         string
}

// writeRequests writes a rotation for rotate.lua: one request per line,
// method, path, headers and body separated by tabs.
func writeRequests(file string, reqs []request) error {
	var b strings.Builder
	for _, r := range reqs {
		var hs []string
		for k, v := range r.headers {
			hs = append(hs, k+": "+v)
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", r.method, r.path, strings.Join(hs, "\x1f"), r.body)
	}
	return os.WriteFile(file, []byte(b.String()), 0o600)
}

// rotateLua has each wrk connection send the requests of a file in
// turn, each thread starting at another place.
const rotateLua = `
local reqs = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    local m, p, h, b = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    for kv in h:gmatch("[^\031]+") do
      local k, v = kv:match("^([^:]+): (.*)$")
      headers[k] = v
    end
    if b == "" then b = nil end
    reqs[#reqs + 1] = wrk.format(m, p, headers, b)
  end
  i = math.random(#reqs)
end
function request()
  i = i % #reqs + 1
  return reqs[i]
end
`

// wrk runs wrk with two threads and parses what it prints.
func wrk(ctx context.Context, base, script, reqFile string, conns int, d time.Duration) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, d+time.Minute)
	defer cancel()
	// #nosec G204 -- wrk with arguments this program builds
	cmd := exec.CommandContext(ctx, "wrk", "-t2", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(int(d.Seconds()))+"s",
		"--timeout", "10s", "--latency", "-s", script, base, "--", reqFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("%v: %s", err, out)
	}
	return parseWrk(string(out))
}

var (
	reRPS      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reTotal    = regexp.MustCompile(`(\d+) requests in`)
	reLatency  = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	reNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	reSockErrs = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func parseWrk(out string) (result, error) {
	var r result
	m := reRPS.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk printed no rate: %s", out)
	}
	r.RPS, _ = strconv.ParseFloat(m[1], 64)
	if m := reTotal.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
	}
	for _, m := range reLatency.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		v *= map[string]float64{"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m[3]]
		if m[1] == "50" {
			r.P50ms = v
		} else {
			r.P99ms = v
		}
	}
	if m := reNon2xx.FindStringSubmatch(out); m != nil {
		r.Errors, _ = strconv.Atoi(m[1])
	}
	if m := reSockErrs.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	return r, nil
}

// responseSize fetches one response of a rotation and checks it
// succeeded: the baseline serves as many bytes.
func responseSize(ctx context.Context, base string, rq request) (int, error) {
	req, err := http.NewRequestWithContext(ctx, rq.method, base+rq.path, strings.NewReader(rq.body))
	if err != nil {
		return 0, err
	}
	for k, v := range rq.headers {
		req.Header.Set(k, v)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		return 0, fmt.Errorf("%s %s answered %d: %.200s", rq.method, rq.path, resp.StatusCode, b)
	}
	return len(b), err
}

// baseline serves size precomputed bytes from a plain Go server on
// loopback and measures it as the scenario was measured.
func baseline(ctx context.Context, script, work string, size, conns int, d time.Duration) (result, error) {
	body := []byte(strings.Repeat("x", size))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	reqFile := filepath.Join(work, "baseline.reqs")
	if err := writeRequests(reqFile, []request{{method: "GET", path: "/"}}); err != nil {
		return result{}, err
	}
	return wrk(ctx, "http://"+ln.Addr().String(), script, reqFile, conns, d)
}

// memory reads a process's resident memory and its high-water mark, in
// MB.
func memory(pid int) (rss, peak float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

func (rep *report) markdown(w io.Writer) {
	fmt.Fprintf(w, "\n### %s (%d cores, %s per figure)\n\n", rep.Label, rep.Cores, rep.Duration)
	fmt.Fprintln(w, "| request | conns | req/s | p50 | p99 | baseline req/s | baseline p99 | of baseline | errors |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, r := range rep.Results {
		base, p99, of := "", "", ""
		if r.BaselineRPS > 0 {
			base, p99, of = fmt.Sprintf("%.0f", r.BaselineRPS), ms(r.BaselineP99), fmt.Sprintf("%.0f %%", 100*r.OfBaseline)
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %s | %s | %s | %s | %s | %d |\n", r.Scenario, r.Conns, r.RPS, ms(r.P50ms), ms(r.P99ms), base, p99, of, r.Errors)
	}
	if rep.PeakRSSMB > 0 {
		fmt.Fprintf(w, "\nServer memory: %.0f MB resident at the end, %.0f MB at its highest.\n", rep.RSSMB, rep.PeakRSSMB)
	}
	for _, r := range rep.Results {
		if r.Note != "" && r.Conns == rep.Results[len(rep.Results)-1].Conns {
			fmt.Fprintf(w, "- %s: %s\n", r.Scenario, r.Note)
		}
	}
}

func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// curve prints, from reports of runs on growing data sets, each read's
// rate and p99 at the highest concurrency by data set: the cost per page
// should stay flat.
func curve(w io.Writer, files []string) error {
	if len(files) == 0 {
		return errors.New("give the JSON reports of runs on growing data sets")
	}
	var reps []report
	for _, f := range files {
		b, err := os.ReadFile(f) // #nosec G304 G703 -- a report the caller names
		if err != nil {
			return err
		}
		var r report
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		reps = append(reps, r)
	}
	// The reads at the highest concurrency, by scenario, in the first
	// report's order.
	var names []string
	at := make([]map[string]result, len(reps))
	for i, rep := range reps {
		top := 0
		for _, r := range rep.Results {
			top = max(top, r.Conns)
		}
		at[i] = map[string]result{}
		for _, r := range rep.Results {
			if r.Conns == top && r.BaselineRPS > 0 {
				if i == 0 {
					names = append(names, r.Scenario)
				}
				at[i][r.Scenario] = r
			}
		}
	}
	fmt.Fprint(w, "\n| request |")
	for _, r := range reps {
		fmt.Fprintf(w, " %s |", r.Label)
	}
	fmt.Fprint(w, "\n|---|")
	for range reps {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, name := range names {
		fmt.Fprintf(w, "| %s |", name)
		for i := range reps {
			if x, ok := at[i][name]; ok {
				fmt.Fprintf(w, " %.0f req/s, p99 %s |", x.RPS, ms(x.P99ms))
			} else {
				fmt.Fprint(w, " |")
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}
