package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wrkOutput is what wrk 4 prints with --latency.
const wrkOutput = `Running 5s test @ http://127.0.0.1:8000
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.01ms    2.10ms  41.22ms   80.12%
    Req/Sec     6.50k   512.33     7.90k    70.00%
  Latency Distribution
     50%    4.62ms
     75%    5.90ms
     90%    7.41ms
     99%    1.20s
  64710 requests in 5.00s, 650.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  12942.33
Transfer/sec:    130.02MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkOutput)
	if err != nil {
		t.Fatal(err)
	}
	if r.RPS != 12942.33 || r.P50ms != 4.62 || r.P99ms != 1200 || r.Requests != 64710 || r.Errors != 10 {
		t.Errorf("parsed %+v", r)
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused"); err == nil {
		t.Error("an output without a rate parsed")
	}
}

// TestCurve: the curve lines up each read at the highest concurrency
// across reports, leaving out posting (no baseline) and lower
// concurrencies.
func TestCurve(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, label := range []string{"10k tweets", "1M tweets"} {
		rep := report{Label: label, Results: []result{
			{Scenario: "home", Conns: 32, RPS: 1, BaselineRPS: 10},
			{Scenario: "home", Conns: 64, RPS: float64(100 * (i + 1)), P99ms: 12, BaselineRPS: 1000},
			{Scenario: "post", Conns: 64, RPS: 5},
		}}
		b, _ := json.Marshal(rep)
		f := filepath.Join(dir, label+".json")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	var out strings.Builder
	if err := curve(&out, files); err != nil {
		t.Fatal(err)
	}
	want := "| home | 100 req/s, p99 12 ms | 200 req/s, p99 12 ms |"
	if !strings.Contains(out.String(), want) || strings.Contains(out.String(), "post") {
		t.Errorf("curve:\n%s\nwant a line %q and no post", out.String(), want)
	}
}
