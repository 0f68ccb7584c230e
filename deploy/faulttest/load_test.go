package faulttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// backoff is how long a worker pauses after a failed request.
const backoff = 50 * time.Millisecond

// requestTimeout bounds every request of the load; a stream is bounded by
// the load's own end.
const requestTimeout = 15 * time.Second

// user is an account the load acts as: a browser session (cookies and
// the CSRF token of its last page) and a personal API token. Only its
// own worker uses it.
type user struct {
	name, id, token string
	browser         *http.Client
	csrf            string
	rt              *http.Transport // the browser's, shared by the accounts of one signUp
}

var (
	csrfField   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	tokenOutput = regexp.MustCompile(`aria-label="Access token">([A-Za-z0-9_-]+)<`)
)

// signUp creates n accounts through the sign-up form at base (the
// server allows 10 sign-ups an hour from one address), each with a
// read and write token made on the settings page.
func signUp(t *testing.T, base, prefix string, n int) []*user {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	var us []*user
	for i := range n {
		name := fmt.Sprintf("%s%d", prefix, i)
		b := webtest.New(t, base)
		b.Client.Transport = tr
		b.SignUp(name, "password-"+name)
		b.Get("/settings/apps")
		r := b.Post("/settings/apps/tokens", url.Values{"token_name": {"load"}, "scope": {"read", "write"}})
		m := tokenOutput.FindStringSubmatch(r.Body)
		if r.StatusCode != 200 || m == nil {
			t.Fatalf("token for %s: %d", name, r.StatusCode)
		}
		u := &user{name: name, token: m[1], browser: b.Client, csrf: b.CSRF, rt: tr}
		var acct struct{ ID string }
		if st, body, err := apiCall(context.Background(), tr, "GET", base+"/api/v1/accounts/verify_credentials", u.token, nil, ""); err != nil || st != 200 {
			t.Fatalf("verify_credentials for %s: %d %v", name, st, err)
		} else if err := json.Unmarshal([]byte(body), &acct); err != nil || acct.ID == "" {
			t.Fatalf("verify_credentials for %s: %q", name, body)
		}
		u.id = acct.ID
		us = append(us, u)
	}
	return us
}

// apiCall sends an API request with a bearer token and a form body.
func apiCall(ctx context.Context, rt http.RoundTripper, method, u, token string, form url.Values, idemKey string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, string(b), err
}

// mix weighs the kinds of request a worker sends.
type mix struct {
	read, webPost, imagePost, apiPost, like, follow int
}

// defaultMix is mostly reads, with every kind of write.
var defaultMix = mix{read: 50, webPost: 8, imagePost: 4, apiPost: 18, like: 10, follow: 10}

// ack is a post the load sent: acknowledged when the server answered
// success, otherwise unacknowledged (an API post is then retried with
// its Idempotency-Key once the fault is over).
type ack struct {
	text, key, id string
	image         bool
	retried       bool
}

// load sends a bounded mix of requests from one worker per account, and
// keeps streaming clients open, against a base URL that a scenario may
// switch (a restarted server). It counts every request and classifies
// each failure: one that overlaps a fault window is expected (counted,
// its status kept); any other is an unexpected error.
type load struct {
	t      *testing.T
	base   atomic.Pointer[string]
	users  []*user
	mix    mix
	prefix string
	rt     *http.Transport
	image  []byte

	fault    atomic.Bool  // a fault is in effect
	faultSeq atomic.Int64 // bumped at each start and end of a fault
	// faultOnly, when set, lists the only requests a fault may fail
	// (others must keep working through it); nil: any.
	faultOnly map[string]bool
	// known, when set, picks out failures during a fault that are a
	// documented limit (docs/reliability.md): counted apart, not as
	// errors, and bounded by the scenario.
	known      func(what string, status int) bool
	knownCount int

	mu          sync.Mutex
	requests    int
	errors      int               // unexpected: outside every fault window
	faultErrors int               // failures that overlapped a fault window
	statuses    map[string]int    // what failed during faults, by request and status
	faultBodies map[string]string // the first answer of each, its visible text
	samples     []string          // the first unexpected errors
	acked       []ack
	unacked     []ack
	ids         []string // statuses that exist, for likes and reads
	seq         int

	streamEvents atomic.Int64
	streamDrops  atomic.Int64 // streams cut during a fault (reconnected)
	streamErrors atomic.Int64 // streams cut outside any fault
}

func newLoad(t *testing.T, base string, users []*user, m mix) *load {
	l := &load{t: t, users: users, mix: m, prefix: fmt.Sprintf("load%d", time.Now().UnixNano()%1e6),
		rt: &http.Transport{MaxIdleConnsPerHost: 64}, image: testimage.PNG(24, 16), statuses: map[string]int{}, faultBodies: map[string]string{}}
	l.setBase(base)
	t.Cleanup(l.closeIdle)
	return l
}

// closeIdle closes the load's idle connections, each of which holds a
// goroutine in the server.
func (l *load) closeIdle() {
	l.rt.CloseIdleConnections()
	for _, u := range l.users {
		u.rt.CloseIdleConnections()
	}
}

func (l *load) setBase(b string) { l.base.Store(&b) }
func (l *load) url(p string) string {
	return *l.base.Load() + p
}

// setFault marks the start or end of a fault window.
func (l *load) setFault(on bool) {
	l.fault.Store(on)
	l.faultSeq.Add(1)
}

// window is where a request started, to tell afterwards whether a fault
// overlapped it.
type window struct {
	fault bool
	seq   int64
}

func (l *load) begin() window { return window{l.fault.Load(), l.faultSeq.Load()} }

// inFault reports whether a fault was in effect at any time since w.
func (l *load) inFault(w window) bool {
	return w.fault || l.fault.Load() || l.faultSeq.Load() != w.seq
}

// record counts a request that ended with status (0: no response) or
// err; ok says whether it is what was expected. A failure makes the
// worker pause, as a client backs off, so that a fault does not turn
// into a tight loop of refused connections.
func (l *load) record(w window, what string, status int, err error, ok bool, body string) {
	if !ok {
		defer time.Sleep(backoff)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests++
	if ok {
		return
	}
	desc := fmt.Sprintf("%s → %d", what, status)
	if err != nil {
		desc = fmt.Sprintf("%s → %v", what, oneLine(err.Error()))
	}
	if l.inFault(w) && l.known != nil && l.known(what, status) {
		l.knownCount++
		l.statuses[fmt.Sprintf("%s %d (known)", what, status)]++
		return
	}
	if l.inFault(w) && (l.faultOnly == nil || l.faultOnly[what]) {
		l.faultErrors++
		key := fmt.Sprintf("%s %d", what, status)
		if err != nil {
			key = what + " no response"
		}
		l.statuses[key]++
		if _, ok := l.faultBodies[key]; !ok {
			l.faultBodies[key] = visibleText(body)
		}
		return
	}
	l.errors++
	if len(l.samples) < 10 {
		l.samples = append(l.samples, fmt.Sprintf("%s %.200s", desc, oneLine(body)))
	}
}

var (
	tags     = regexp.MustCompile(`(?s)<head>.*?</head>|<script.*?</script>|<[^>]*>`)
	mainPart = regexp.MustCompile(`(?s)<main.*?</main>`)
)

// visibleText is what a person reads in an answer: the text of a page's
// main part without its markup, or a JSON body as it is.
func visibleText(body string) string {
	if m := mainPart.FindString(body); m != "" {
		body = m
	}
	return oneLine(html.UnescapeString(tags.ReplaceAllString(body, " ")))
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// run starts workers (one per account, up to len(users)) and streams
// streaming clients until ctx ends; wait blocks until they have stopped.
func (l *load) run(ctx context.Context, workers, streams int) (wait func()) {
	var wg sync.WaitGroup
	for i := 0; i < workers && i < len(l.users); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			for ctx.Err() == nil {
				l.step(i, rng)
			}
		}()
	}
	for i := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.stream(ctx, l.users[i%len(l.users)], i%2 == 0)
		}()
	}
	return wg.Wait
}

// step sends one request of the mix as user i.
func (l *load) step(i int, rng *rand.Rand) {
	m := l.mix
	n := rng.IntN(m.read + m.webPost + m.imagePost + m.apiPost + m.like + m.follow)
	switch {
	case n < m.read:
		l.read(i, rng)
	case n < m.read+m.webPost:
		l.webPost(i, false)
	case n < m.read+m.webPost+m.imagePost:
		l.webPost(i, true)
	case n < m.read+m.webPost+m.imagePost+m.apiPost:
		l.apiPost(i)
	case n < m.read+m.webPost+m.imagePost+m.apiPost+m.like:
		l.like(i, rng)
	default:
		l.follow(i, rng)
	}
}

func (l *load) nextText(i int, kind string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	return fmt.Sprintf("%s %s-%d from worker %d", l.prefix, kind, l.seq, i)
}

func (l *load) randomID(rng *rand.Rand) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ids) == 0 {
		return ""
	}
	return l.ids[rng.IntN(len(l.ids))]
}

// browse sends a request with the user's browser session and picks up
// the CSRF token of the page.
func (l *load) browse(u *user, req *http.Request) (int, string, error) {
	resp, err := u.browser.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if m := csrfField.FindSubmatch(b); m != nil {
		u.csrf = html.UnescapeString(string(m[1]))
	}
	return resp.StatusCode, string(b), err
}

func (l *load) read(i int, rng *rand.Rand) {
	u := l.users[i]
	other := l.users[rng.IntN(len(l.users))]
	w := l.begin()
	var status int
	var body, what string
	var err error
	switch k := rng.IntN(6); k {
	case 0, 1, 2:
		what = []string{"GET /", "GET /public", "GET /@user"}[k]
		p := []string{"/", "/public", "/@" + other.name}[k]
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		req, _ := http.NewRequestWithContext(ctx, "GET", l.url(p), nil)
		status, body, err = l.browse(u, req)
		cancel()
	case 3:
		what = "GET /api/v1/timelines/home"
		status, body, err = apiCall(context.Background(), l.rt, "GET", l.url("/api/v1/timelines/home"), u.token, nil, "")
	case 4:
		what = "GET /api/v1/timelines/public"
		status, body, err = apiCall(context.Background(), l.rt, "GET", l.url("/api/v1/timelines/public?limit=20"), "", nil, "")
	default:
		id := l.randomID(rng)
		if id == "" {
			return
		}
		what = "GET /api/v1/statuses/{id}"
		status, body, err = apiCall(context.Background(), l.rt, "GET", l.url("/api/v1/statuses/"+id), u.token, nil, "")
	}
	l.record(w, what, status, err, err == nil && status == 200, body)
}

// webPost posts through the compose form, with an image when asked.
func (l *load) webPost(i int, image bool) {
	u := l.users[i]
	kind := "web"
	if image {
		kind = "img"
	}
	text := l.nextText(i, kind)
	w := l.begin()
	if u.csrf == "" {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		req, _ := http.NewRequestWithContext(ctx, "GET", l.url("/"), nil)
		status, body, err := l.browse(u, req)
		cancel()
		if err != nil || status != 200 {
			l.record(w, "GET /", status, err, false, body)
			return
		}
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", u.csrf)
	_ = mw.WriteField("text", text)
	if image {
		fw, _ := mw.CreateFormFile("image", "photo.png")
		_, _ = fw.Write(l.image)
	}
	_ = mw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", l.url("/tweets"), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, err := l.browse(u, req)
	ok := err == nil && status == http.StatusSeeOther
	what := "POST /tweets"
	if image {
		what += " (image)"
	}
	l.record(w, what, status, err, ok, body)
	l.mu.Lock()
	defer l.mu.Unlock()
	a := ack{text: text, image: image}
	if ok {
		l.acked = append(l.acked, a)
	} else {
		l.unacked = append(l.unacked, a)
	}
}

// apiPost posts through the API with an Idempotency-Key.
func (l *load) apiPost(i int) {
	u := l.users[i]
	a := ack{text: l.nextText(i, "api"), key: fmt.Sprintf("%s-key-%d-%d", l.prefix, i, time.Now().UnixNano())}
	w := l.begin()
	status, body, err := apiCall(context.Background(), l.rt, "POST", l.url("/api/v1/statuses"), u.token, url.Values{"status": {a.text}}, a.key)
	ok := err == nil && status == 200
	if ok {
		var st struct{ ID string }
		if json.Unmarshal([]byte(body), &st) != nil || st.ID == "" {
			ok = false
		}
		a.id = st.ID
	}
	l.record(w, "POST /api/v1/statuses", status, err, ok, body)
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok {
		l.acked = append(l.acked, a)
		l.ids = append(l.ids, a.id)
	} else {
		l.unacked = append(l.unacked, a)
	}
}

func (l *load) like(i int, rng *rand.Rand) {
	id := l.randomID(rng)
	if id == "" {
		return
	}
	w := l.begin()
	status, body, err := apiCall(context.Background(), l.rt, "POST", l.url("/api/v1/statuses/"+id+"/favourite"), l.users[i].token, url.Values{}, "")
	l.record(w, "POST /api/v1/statuses/{id}/favourite", status, err, err == nil && status == 200, body)
}

func (l *load) follow(i int, rng *rand.Rand) {
	other := l.users[rng.IntN(len(l.users))]
	if other == l.users[i] {
		return
	}
	action := "follow"
	if rng.IntN(3) == 0 {
		action = "unfollow"
	}
	w := l.begin()
	status, body, err := apiCall(context.Background(), l.rt, "POST", l.url("/api/v1/accounts/"+other.id+"/"+action), l.users[i].token, url.Values{}, "")
	l.record(w, "POST /api/v1/accounts/{id}/"+action, status, err, err == nil && status == 200, body)
}

// stream holds a server-sent event stream open (the public one, or the
// user's), counting its events and reconnecting when it is cut.
func (l *load) stream(ctx context.Context, u *user, public bool) {
	p := "/api/v1/streaming/user?access_token=" + u.token
	if public {
		p = "/api/v1/streaming/public"
	}
	for ctx.Err() == nil {
		w := l.begin()
		req, _ := http.NewRequestWithContext(ctx, "GET", l.url(p), nil)
		resp, err := l.rt.RoundTrip(req)
		if err == nil && resp.StatusCode == 200 {
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: update") {
					l.streamEvents.Add(1)
				}
			}
			resp.Body.Close()
		} else if err == nil {
			resp.Body.Close()
		}
		if ctx.Err() != nil {
			return
		}
		if l.inFault(w) {
			l.streamDrops.Add(1)
		} else {
			l.streamErrors.Add(1)
			l.mu.Lock()
			if len(l.samples) < 10 {
				l.samples = append(l.samples, fmt.Sprintf("stream %s cut outside a fault (err %v)", p, err))
			}
			l.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// retryUnacked sends each unacknowledged API post again with its
// Idempotency-Key, as a client does after a failure, until it succeeds
// (bounded); the retries count as requests.
func (l *load) retryUnacked(t *testing.T) (retried int) {
	t.Helper()
	l.mu.Lock()
	pending := l.unacked
	l.unacked = nil
	l.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for _, a := range pending {
		if a.key == "" {
			l.mu.Lock()
			l.unacked = append(l.unacked, a)
			l.mu.Unlock()
			continue
		}
		u := l.userOf(a.text)
		for attempt := 0; ; attempt++ {
			w := l.begin()
			status, body, err := apiCall(context.Background(), l.rt, "POST", l.url("/api/v1/statuses"), u.token, url.Values{"status": {a.text}}, a.key)
			ok := err == nil && status == 200
			l.record(w, "POST /api/v1/statuses (retry)", status, err, ok, body)
			if ok {
				var st struct{ ID string }
				_ = json.Unmarshal([]byte(body), &st)
				a.id, a.retried = st.ID, true
				l.mu.Lock()
				l.acked = append(l.acked, a)
				l.mu.Unlock()
				retried++
				break
			}
			if attempt >= 20 || time.Now().After(deadline) {
				t.Errorf("the retry of an API post with its Idempotency-Key still fails: %d %v %.200s", status, err, body)
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	return retried
}

// userOf finds the worker's account from a post's text.
func (l *load) userOf(text string) *user {
	var i int
	if _, err := fmt.Sscanf(text[strings.LastIndex(text, "worker "):], "worker %d", &i); err != nil || i >= len(l.users) {
		return l.users[0]
	}
	return l.users[i]
}

// faultStatuses lists what failed during faults, most frequent first.
func (l *load) faultStatuses() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	type kv struct {
		k string
		n int
	}
	var s []kv
	for k, n := range l.statuses {
		s = append(s, kv{k, n})
	}
	sort.Slice(s, func(i, j int) bool { return s[i].n > s[j].n || s[i].n == s[j].n && s[i].k < s[j].k })
	var out []string
	for _, e := range s {
		out = append(out, fmt.Sprintf("%s: %d", e.k, e.n))
	}
	return strings.Join(out, "; ")
}

// checkNoUnexpected fails the test on any error outside a fault window.
func (l *load) checkNoUnexpected(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.errors > 0 || l.streamErrors.Load() > 0 {
		t.Errorf("%d unexpected errors and %d streams cut outside any fault; the first:\n%s",
			l.errors, l.streamErrors.Load(), strings.Join(l.samples, "\n"))
	}
}

// figures are the load's counts.
func (l *load) figures() figures {
	l.mu.Lock()
	defer l.mu.Unlock()
	posts := 0
	for _, a := range l.acked {
		if a.text != "" {
			posts++
		}
	}
	return figures{"requests": l.requests, "errors": l.errors + int(l.streamErrors.Load()), "fault_errors": l.faultErrors,
		"acked_posts": posts, "stream_events": l.streamEvents.Load(), "stream_reconnects": l.streamDrops.Load()}
}
