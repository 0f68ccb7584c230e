package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestUserCreateRefusesReservedName: the username of an account deleted
// lately is refused at the command line too, saying when it is free.
func TestUserCreateRefusesReservedName(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor()
			env["TWEETS_DEMO"] = "0"
			if code, _, errs := runCmd(t, env, "", "migrate"); code != 0 {
				t.Fatalf("migrate: %s", errs)
			}
			_, store := storeFor(t, env)
			until := time.Now().UTC().Add(10 * 24 * time.Hour)
			if err := store.ReserveUsername(context.Background(), "ghost", until); err != nil {
				t.Fatal(err)
			}
			want := "This username was in use recently; it is free again on " + until.Format("January 2, 2006") + "."
			code, _, errs := runCmd(t, env, "a-password\n", "user", "create", "--username", "Ghost", "--password-stdin")
			if code != 1 || !strings.Contains(errs, want) {
				t.Errorf("user create of a reserved name: %d %q; want %q", code, errs, want)
			}
		})
	}
}
