package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/password"
	"github.com/tweetsdev/tweets/postgres"
	"github.com/tweetsdev/tweets/sqlstore"
)

// errProblems ends check with status 1 after the findings were printed.
var errProblems = errors.New("problems found (see above)")

// check validates the configuration and the database; with --deploy it
// also lists every setting that is unsafe in production.
func check(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "check", "check [--deploy] [flags]")
	deploy := fs.Bool("deploy", false, "also check the settings a production deployment needs")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	var problems []config.Problem
	if *deploy {
		problems = c.DeployProblems()
	}
	store, err := openStore(ctx, c, 10*time.Second)
	if err != nil {
		problems = append(problems, config.Problem{Setting: "database", Problem: "is unreachable: " + oneLine(err), Fix: "check DATABASE_URL and that the server runs"})
	} else {
		defer store.Close()
		if err := store.Ping(ctx); err != nil {
			problems = append(problems, config.Problem{Setting: "database", Problem: oneLine(err), Fix: "run 'tweets migrate'"})
		} else if *deploy {
			if p := demoProblem(ctx, store); p != nil {
				problems = append(problems, *p)
			}
			if p := connectionProblem(ctx, c, store); p != nil {
				problems = append(problems, *p)
			}
		}
	}
	if c.MediaStore == "s3" {
		if _, err := openBlobs(ctx, c); err != nil {
			problems = append(problems, config.Problem{Setting: "media store", Problem: oneLine(err), Fix: "check the TWEETS_S3_* settings and that the bucket exists"})
		}
	}
	problems, waived := c.Waived(problems)
	for _, p := range waived {
		fmt.Fprintf(e.stdout, "- %s %s: waived by TWEETS_CHECK_WAIVE.\n", p.Setting, p.Problem)
	}
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "✗ %s %s.\n    fix: %s\n", p.Setting, p.Problem, p.Fix)
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stdout, "%d problem(s) found.\n", len(problems))
		return errProblems
	}
	if *deploy {
		fmt.Fprintln(e.stdout, "✓ no problems found: the configuration is fit for production.")
	} else {
		fmt.Fprintln(e.stdout, "✓ the configuration is valid and the database is ready.")
	}
	return nil
}

// demoProblem reports the demo account if it still has its published
// password.
func demoProblem(ctx context.Context, store tweets.UserStore) *config.Problem {
	u, err := store.UserByUsername(ctx, demoUsername)
	if err != nil {
		return nil
	}
	if ok, _ := (password.Hasher{}).Verify(u.PasswordHash, demoPassword); !ok {
		return nil
	}
	return &config.Problem{Setting: "the demo account", Problem: "exists with its published password demo12345",
		Fix: "run 'tweets user set-password --username demo --password-stdin', or set TWEETS_DEMO=0 before the first run"}
}

// connectionProblem reports a PostgreSQL server that cannot take every
// connection the replicas' pools may open (TWEETS_REPLICAS ×
// TWEETS_DB_MAX_CONNS): once it is full, new sessions fail at peak load.
func connectionProblem(ctx context.Context, c *config.Config, store *sqlstore.Store) *config.Problem {
	if !c.UsesPostgres() {
		return nil
	}
	limit, err := postgres.ConnectionLimit(ctx, store.DB)
	if err != nil {
		return &config.Problem{Setting: "database", Problem: "does not tell its connection limit: " + oneLine(err),
			Fix: "check that the user may read max_connections"}
	}
	return c.ConnectionBudget(limit)
}
