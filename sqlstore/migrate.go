package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	if fsys == nil {
		return nil, nil
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		prefix, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and an underscore", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(path.Base(name), ".sql"), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// Migrate applies every migration not yet recorded, each in its own
// transaction. Several processes may call it at once: the dialect's lock
// serializes them and each migration is checked again inside its
// transaction, so none is applied twice.
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) (err error) {
	defer tweets.Wrap(&err, "migrate")
	if err := s.outsideAtomic("Migrate"); err != nil {
		return err
	}
	ms, err := loadMigrations(s.dialect.Migrations)
	if err != nil {
		return err
	}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.dialect.Lock != nil {
		unlock, err := s.dialect.Lock(ctx, conn)
		if err != nil {
			return fmt.Errorf("take migration lock: %w", err)
		}
		defer unlock()
	}
	if _, err := conn.ExecContext(ctx, s.dialect.BootstrapSQL); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		applied, err := s.applyOne(ctx, conn, m)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if applied && log != nil {
			log.Info("applied migration", "version", m.version, "name", m.name)
		}
	}
	return nil
}

func (s *Store) applyOne(ctx context.Context, conn *sql.Conn, m migration) (applied bool, err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil || !applied {
			_ = tx.Rollback()
		}
	}()
	var n int
	if err := tx.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, s.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		m.version, m.name, time.Now().UTC()); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	return true, nil
}

// SchemaVersion returns the newest applied migration, 0 for none.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.DB.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		if strings.Contains(err.Error(), "schema_migrations") {
			return 0, errors.New("database is not migrated: run 'tweets migrate'")
		}
		return 0, err
	}
	return int(v.Int64), nil
}

// LatestVersion returns the newest migration embedded in the binary.
func (s *Store) LatestVersion() int { return s.version }
