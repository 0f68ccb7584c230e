package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pgxConfig parses a postgres:// URL or key=value DSN. Its error never
// repeats the input, which may hold a password (pgx's own can).
func pgxConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, errors.New("the PostgreSQL URL is not valid: write it as postgres://user:password@host:5432/dbname")
	}
	return cfg, nil
}

// where names the server and database a configuration points at, for
// messages: never the password.
func where(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("%s:%d/%s as %s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
}
