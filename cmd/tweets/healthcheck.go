package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/tweetsdev/tweets/config"
)

// healthcheck probes a running server, for container images without curl.
// By default it probes the public listener, which refuses every Host that
// TWEETS_ALLOWED_HOSTS does not list, so it names the first host listed.
func healthcheck(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "healthcheck", "healthcheck [--url URL] [--host HOST]")
	url := fs.String("url", "", "URL to probe (default http://127.0.0.1:PORT/readyz, PORT from TWEETS_ADDR)")
	host := fs.String("host", "", "Host header to send (default without --url: the first name in TWEETS_ALLOWED_HOSTS; with --url: the URL's host)")
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
		if *host == "" {
			allowed := e.getenv("TWEETS_ALLOWED_HOSTS")
			if strings.TrimSpace(allowed) == "" {
				allowed = config.DefaultAllowedHosts
			}
			*host = probeHost(allowed)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return usageError{fmt.Sprintf("bad --url: %v", err)}
	}
	if *host != "" {
		req.Host = *host
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
	if resp.StatusCode == http.StatusBadRequest {
		return fmt.Errorf("%s: %s for Host %s: give --host a name that the server's TWEETS_ALLOWED_HOSTS lists",
			*url, resp.Status, req.Host)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", *url, resp.Status, strings.TrimSpace(body.String()))
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", *url, strings.TrimSpace(body.String()))
	return nil
}

// probeHost picks the Host a probe sends from an allowed-hosts list: the
// first entry that names a host ("example.com" for ".example.com"), or ""
// when the list holds only "*", which allows any.
func probeHost(allowed string) string {
	for _, h := range strings.Split(allowed, ",") {
		h = strings.TrimPrefix(strings.Trim(strings.TrimSpace(h), "[]"), ".")
		switch {
		case h == "" || h == "*":
			continue
		case strings.Contains(h, ":"): // an IPv6 address
			return "[" + h + "]"
		default:
			return h
		}
	}
	return ""
}
