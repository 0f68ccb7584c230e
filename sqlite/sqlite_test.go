package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tweetsdev/tweets/sqlite"
	"github.com/tweetsdev/tweets/sqlstore"
	"github.com/tweetsdev/tweets/storetest"
)

func open(t *testing.T) *sqlstore.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "data", "tweets.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStore(t *testing.T) { storetest.Run(t, open) }
