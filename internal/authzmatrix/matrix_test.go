// Package authzmatrix holds the authorization matrix: every route that
// changes state, pages and API alike, and the pages and API reads of
// private data, each requested by an anonymous visitor, the owner of the
// target, another account, an account the owner blocks, a suspended
// account and an admin, with the outcome each must get; on SQLite and
// PostgreSQL. A route added without its row fails the test.
package authzmatrix

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/api"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/web"
)

// row is one route (or one action of a route with an {action}) and
// what each role gets from it.
type row struct {
	pattern string // as web's Routes or api's Endpoints name it
	action  string // fills {action}, or names a variant of the route
	// want is the outcome of each role, in the order anonymous, owner,
	// other, blocked, suspended, admin: a status code ("login" for the
	// redirect to the log-in page). A success changes the state and a
	// refusal does not, but "=" marks a success with nothing to change
	// and "+" a refusal that changes it anyway (see the rows).
	want string
	// setup makes the target (setting {id} or {hash}) as the owner has
	// it, and what the actor did before; it runs after log-in, before the
	// owner blocks the blocked role and before the suspension.
	setup func(c *cell)
	form  func(c *cell) url.Values // the body, or a GET's query
	file  string                   // the form also sends a picture in this field
	page  string                   // pages: the form is opened here first, as a browser would
	// state reads what the request would change: a refusal must leave
	// it as it was, a success must change it.
	state func(c *cell) any
	// secret is what only the owner may read in the answer.
	secret func(c *cell) string
}

func (r *row) name() string {
	if r.action != "" {
		return r.pattern + " " + r.action
	}
	return r.pattern
}

// outcome is one entry of want.
type outcome struct {
	status  int
	login   bool // a redirect to the log-in page
	changes bool // the state must change
}

func parseOutcome(t *testing.T, s string) outcome {
	base := strings.TrimRight(s, "=+")
	o := outcome{login: base == "login", status: http.StatusSeeOther}
	if !o.login {
		n, err := strconv.Atoi(base)
		if err != nil {
			t.Fatalf("bad outcome %q", s)
		}
		o.status = n
	}
	success := !o.login && o.status < 400
	o.changes = success && !strings.HasSuffix(s, "=") || strings.HasSuffix(s, "+")
	return o
}

func (o outcome) String() string {
	if o.login {
		return "login"
	}
	return strconv.Itoa(o.status)
}

// TestAuthorizationMatrix runs every row for every role, on every
// database.
func TestAuthorizationMatrix(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			start := time.Now()
			f := newFixture(t, b)
			cells := 0
			for _, r := range matrix() {
				t.Run(r.name(), func(t *testing.T) {
					f.t = t
					cells += f.runRow(&r)
				})
			}
			t.Logf("%d rows, %d requests in %v", len(matrix()), cells, time.Since(start).Round(time.Millisecond))
		})
	}
}

// runRow requests the row as each role and returns how many requests
// it made.
func (f *fixture) runRow(r *row) int {
	t := f.t
	want := strings.Fields(r.want)
	if len(want) != int(roles) {
		t.Fatalf("want has %d outcomes, not one per role (%d)", len(want), roles)
	}
	e, isAPI := f.endpoints[r.pattern]
	var got []string
	for ro := anonymous; ro < roles; ro++ {
		got = append(got, f.runCell(r, ro, parseOutcome(t, want[ro])))
	}
	n := len(got)
	if isAPI && e.Access == api.UserToken && e.Scope != "" {
		got = append(got, "| without "+e.Scope+": "+f.runCell(r, unscoped, outcome{status: http.StatusForbidden}))
		n++
	}
	t.Logf("%s", strings.Join(got, " "))
	return n
}

// runCell makes the row's request as ro and checks the outcome; it
// returns what the request got.
func (f *fixture) runCell(r *row, ro role, want outcome) string {
	t := f.t
	t.Helper()
	ctx := context.Background()
	c := &cell{f: f, ctx: ctx, row: r, role: ro, values: map[string]string{}}
	c.owner = f.user("owner")
	switch ro {
	case owner, unscoped:
		c.actor = &c.owner
	case other, blocked, suspended, admin:
		u := f.user(ro.String()[:5])
		if ro == admin {
			c.must(f.svc.Store.SetAdmin(ctx, u.ID, true))
			u.IsAdmin = true
		}
		c.actor = &u
	}
	method, path, _ := strings.Cut(r.pattern, " ")
	e, isAPI := f.endpoints[r.pattern]
	scope := e.Scope
	if scope == "" {
		scope = "read"
	}
	if ro == unscoped {
		scope = lacking(e.Scope)
	}
	cr := c.logIn(isAPI, scope)
	if r.setup != nil {
		r.setup(c)
	}
	if ro == blocked {
		_, err := f.svc.Block(ctx, c.owner, c.actor.Username)
		c.must(err)
	}
	if ro == suspended {
		c.must(f.svc.SetSuspended(ctx, tweets.Operator, c.actor.ID, true))
	}
	var before any
	if r.state != nil {
		before = r.state(c)
	}
	secret := ""
	if r.secret != nil {
		secret = r.secret(c)
	}
	var form url.Values
	if r.form != nil {
		form = r.form(c)
	}
	path = strings.NewReplacer("{id}", c.id, "{hash}", c.hash, "{name}", c.owner.Username, "{action}", r.action).Replace(path)
	c.send(cr, method, path, form, r.file)

	got := strconv.Itoa(c.status)
	if c.status == http.StatusSeeOther && strings.HasPrefix(c.location, "/login") {
		got = "login"
	}
	if got != want.String() {
		t.Errorf("%s: %s %s answered %s, want %s (Location %q)\n%s", ro, method, path, got, want, c.location, excerpt(c.body))
	}
	if r.state != nil {
		after := r.state(c)
		switch changed := !equal(before, after); {
		case changed && !want.changes:
			t.Errorf("%s: %s %s (answered %s) changed the state: %+v → %+v", ro, method, path, got, before, after)
		case !changed && want.changes:
			t.Errorf("%s: %s %s (answered %s) left the state as it was: %+v", ro, method, path, got, before)
		}
	}
	if secret != "" {
		has := strings.Contains(c.body, secret)
		switch {
		case has && ro != owner:
			t.Errorf("%s: %s %s shows the owner's %q", ro, method, path, secret)
		case !has && ro == owner && c.status == http.StatusOK:
			t.Errorf("%s: %s %s does not show the owner's %q: the leak check checks nothing", ro, method, path, secret)
		}
	}
	return got
}

// equal compares two states as printed: they are small values, slices
// and structs.
func equal(a, b any) bool { return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b) }

func excerpt(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// stateChanging reports whether a pattern's method changes state.
func stateChanging(pattern string) bool {
	method, _, ok := strings.Cut(pattern, " ")
	return ok && (method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE")
}

// TestEveryStateChangingRouteHasARow: each POST, PUT, PATCH and DELETE
// pattern of the pages and of the API has a row in the matrix, and each
// row names a route that exists.
func TestEveryStateChangingRouteHasARow(t *testing.T) {
	pages, err := web.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{SecretKey: secretKey})
	if err != nil {
		t.Fatal(err)
	}
	exists := map[string]bool{}
	for _, p := range pages.Routes() {
		exists[p] = true
	}
	for _, e := range api.New(nil, nil, api.Options{}).Endpoints() {
		exists[e.Pattern] = true
	}
	rowed := map[string]bool{}
	for _, r := range matrix() {
		rowed[r.pattern] = true
		if !exists[r.pattern] {
			t.Errorf("the row %q names no route: the route is gone or renamed", r.name())
		}
	}
	n := 0
	for p := range exists {
		if stateChanging(p) {
			n++
			if !rowed[p] {
				t.Errorf("%s changes state but has no row in the authorization matrix: add one to matrix() with each role's outcome", p)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d state-changing routes found", n)
	}
}
