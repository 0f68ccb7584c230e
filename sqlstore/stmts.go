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

// statements are prepared statements by query text. SQLite's driver
// parses and plans a query on every call that is not prepared, which a
// profile of the timeline page showed costing as much as running it;
// database/sql prepares a statement on each connection that runs it and
// keeps it there.
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
