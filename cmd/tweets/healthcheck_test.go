package main

import "testing"

func TestProbeHost(t *testing.T) {
	for allowed, want := range map[string]string{
		"tweets.example.com":           "tweets.example.com",
		" Tweets.example.com , other":  "Tweets.example.com",
		".example.com,www.example.com": "example.com",
		"*,tweets.example.com":         "tweets.example.com",
		"::1,localhost":                "[::1]",
		"[::1]":                        "[::1]",
		"*":                            "",
		"localhost,127.0.0.1,::1":      "localhost",
	} {
		if got := probeHost(allowed); got != want {
			t.Errorf("probeHost(%q) = %q, want %q", allowed, got, want)
		}
	}
}
