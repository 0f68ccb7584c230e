package sqlite_test

import (
	"testing"

	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/sqlstore"
	"github.com/tweetsdev/tweets/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *sqlstore.Store { return testapp.ByName("sqlite").Open(t) })
}
