package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxStatements bounds the prepared statements a store keeps: the
// queries it makes are a fixed set, but some are built per call (IN
// lists of a page's ids), and those beyond the bound run unprepared.
const maxStatements = 512

// statements are prepared statements by query text, kept for SQLite,
// whose driver compiles a query from its text on every call: in a
// profile of the timeline page, parsing took as long as running. A
// statement prepared once (database/sql prepares it on each connection
// that runs it and keeps it there) spares a compilation of every call
// that is not a prepared one's: the page took 15 % less time. The
// driver still compiles on each run of a prepared statement; what
// remains of the cost grows with the length of the query text.
type statements struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the statement for query, preparing it the first time; nil
// when the cache is full or the query does not prepare (the caller then
// runs it directly and sees the error).
func (c *statements) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m) >= maxStatements {
		return nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (c *statements) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

// prepared returns the prepared statement for a query run outside a
// transaction, when the dialect keeps them; nil otherwise.
func (s *Store) prepared(ctx context.Context, q queryer, query string) *sql.Stmt {
	if s.stmts == nil || q != queryer(s.DB) {
		return nil
	}
	return s.stmts.get(ctx, s.DB, query)
}
