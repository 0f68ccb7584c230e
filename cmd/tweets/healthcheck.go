package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheck probes a running server, for container images without curl.
func healthcheck(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "healthcheck", "healthcheck [--url URL]")
	url := fs.String("url", "", "URL to probe (default http://127.0.0.1:PORT/readyz, PORT from TWEETS_ADDR)")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *url == "" {
		addr := e.getenv("TWEETS_ADDR")
		if addr == "" {
			addr = ":8000"
		}
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return usageError{fmt.Sprintf("TWEETS_ADDR %q is not host:port; give --url", addr)}
		}
		*url = "http://127.0.0.1:" + port + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return usageError{fmt.Sprintf("bad --url: %v", err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %v", *url, err)
	}
	defer resp.Body.Close()
	var body strings.Builder
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	body.Write(buf[:n])
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", *url, resp.Status, strings.TrimSpace(body.String()))
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", *url, strings.TrimSpace(body.String()))
	return nil
}
