package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/internal/relaytest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/postgres"
	"github.com/tweetsdev/tweets/sqlstore"
	"github.com/tweetsdev/tweets/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *sqlstore.Store { return testapp.ByName("postgres").Open(t) })
}

func TestOpenUnreachableSaysWhere(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:secret@127.0.0.1:1/db?connect_timeout=2", postgres.Options{})
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("the error does not say where: %v", err)
	}
}

func TestInvalidURLIsNotRepeated(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://app:hunter2@db:notaport/tweets", postgres.Options{})
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "postgres://user:password@host:5432/dbname") {
		t.Errorf("err = %v: want how to write the URL, and never the password", err)
	}
}

// TestRelayCarriesEventsBetweenReplicas: LISTEN/NOTIFY between two
// replicas of one database.
func TestRelayCarriesEventsBetweenReplicas(t *testing.T) {
	url := pgtest.URL(t)
	store, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := postgres.NewRelay(url, store.DB, log)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := postgres.NewRelay(url, store.DB, log)
	relaytest.Check(t, a, b)
}
