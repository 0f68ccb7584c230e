package postgres

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
)

func pgxConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message can quote the DSN, password included.
		return nil, fmt.Errorf("the PostgreSQL URL %s is not valid: write it as postgres://user:password@host:5432/dbname", Redact(dsn))
	}
	return cfg, nil
}

// Redact returns the URL with its password replaced, for messages and
// logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		if strings.Contains(dsn, "password") {
			return "(a DSN with a password)"
		}
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// URLFromParts builds a URL from the POSTGRES_* settings of the original
// design.
func URLFromParts(host, port, db, user, password string) string {
	u := url.URL{Scheme: "postgres", Host: host, Path: "/" + db}
	if port != "" {
		u.Host = host + ":" + port
	}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else if user != "" {
		u.User = url.User(user)
	}
	return u.String()
}
