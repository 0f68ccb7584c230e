package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// newChromium starts headless Chromium (Debian's package) with its
// background networking off, so that it talks to nothing but the test's
// loopback server, and collects what the pages write to the console.
func newChromium(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	var bin string
	for _, name := range []string{os.Getenv("TWEETS_TEST_CHROMIUM"), "chromium", "google-chrome", "chromium-browser"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Fatal("chromium is not installed: run the tests with 'make test', which installs it from Debian packages")
	}
	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.DisableGPU, chromedp.UserDataDir(dir),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.WindowSize(1024, 768))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var messages []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			messages = append(messages, string(m.Type)+": "+m.Text)
			mu.Unlock()
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), messages...)
	}
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// signUp fills in the sign-up form and sends it.
func signUp(base, name, password string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/signup"),
		chromedp.SendKeys(chromedp.ID("username"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// scripts switches the page's JavaScript on or off.
func scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		t.Fatal(err)
	}
}

func flash(t *testing.T, ctx context.Context) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(".flash")))
	if err != nil {
		t.Fatalf("no flash message: %v", err)
	}
	return s
}

// a11yAudit lists what a screen-reader or keyboard user would miss on the
// current page: form controls without labels, missing landmarks or
// headings, images without alt text, a page without a language.
const a11yAudit = `(() => {
  const problems = [];
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (el.type === 'hidden') continue;
    if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label')) problems.push('unlabelled ' + el.outerHTML.slice(0, 60));
  }
  for (const el of document.querySelectorAll('button')) {
    if (!el.textContent.trim() && !el.getAttribute('aria-label')) problems.push('button without a name');
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('img without alt ' + img.src);
  }
  if (document.querySelectorAll('main').length !== 1) problems.push('not exactly one <main>');
  if (!document.querySelector('header nav')) problems.push('no site navigation');
  if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' <h1> elements');
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  if (!document.title) problems.push('no title');
  const skip = document.querySelector('a.skip');
  if (!skip || document.querySelector('a, button, input, textarea') !== skip) problems.push('the skip link is not first in focus order');
  return problems;
})()`

// TestInABrowser drives the real binary from headless Chromium with
// JavaScript switched off: every core action works from plain HTML forms.
// Then, with scripts back on for the checks, it audits accessibility, the
// dark theme, a phone-sized viewport and the console (no CSP violations).
func TestInABrowser(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	ctx, console := newChromium(t)
	img := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(img, testimage.PNG(40, 30), 0o644); err != nil {
		t.Fatal(err)
	}

	audit := func(paths ...string) {
		t.Helper()
		for _, path := range paths {
			do(t, ctx, "open "+path, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
			if problems := eval[[]string](t, ctx, a11yAudit); len(problems) > 0 {
				t.Errorf("accessibility of %s: %v", path, problems)
			}
		}
	}
	audit("/", "/signup", "/login", "/nowhere")

	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "sign up", signUp(s.URL, "browser", "browser-password")...)
	if got := flash(t, ctx); !strings.Contains(got, "Welcome to tweets, @browser!") {
		t.Errorf("after sign-up the flash says %q", got)
	}
	do(t, ctx, "post a tweet with an image",
		chromedp.SendKeys(chromedp.ID("text"), "Hello from Chromium"),
		chromedp.SetUploadFiles(chromedp.ID("image"), []string{img}),
		chromedp.Click(chromedp.CSS(".compose button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("article.tweet img")),
	)
	if got := flash(t, ctx); got != "Tweet posted successfully!" {
		t.Errorf("after posting the flash says %q", got)
	}

	// Scripts back on, for the checks: the page's one script is the
	// live updates' file, nothing inline.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	if srcs := eval[[]string](t, ctx, `[...document.scripts].map(s => s.getAttribute('src') || 'inline')`); len(srcs) != 1 || !strings.HasPrefix(srcs[0], "/static/live.") {
		t.Errorf("the page's scripts: %q, want live.js alone", srcs)
	}
	if w := eval[int](t, ctx, `document.querySelector('article.tweet img').naturalWidth`); w != 40 {
		t.Errorf("the image did not load: naturalWidth %d", w)
	}
	if n := eval[int](t, ctx, `document.styleSheets.length`); n != 1 {
		t.Errorf("%d stylesheets applied, want the one", n)
	}
	audit("/", "/@browser", "/settings", "/search", "/search?q=hello", "/tags/hello", "/settings/profile", "/settings/password", "/settings/sessions", "/settings/delete")

	// A profile, from a plain form.
	scripts(t, ctx, false)
	do(t, ctx, "edit the profile",
		chromedp.Navigate(s.URL+"/settings/profile"),
		chromedp.SendKeys(chromedp.ID("display_name"), "Brôwser 🦊"),
		chromedp.SendKeys(chromedp.ID("bio"), "first line\nsecond line"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if got := flash(t, ctx); got != "Your profile is saved." {
		t.Errorf("after saving the profile the flash says %q", got)
	}
	scripts(t, ctx, true)
	if h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`); h1 != "Brôwser 🦊" {
		t.Errorf("the profile's heading is %q", h1)
	}
	if lines := eval[int](t, ctx, `Math.round(document.querySelector('.bio').getBoundingClientRect().height / parseFloat(getComputedStyle(document.querySelector('.bio')).lineHeight))`); lines != 2 {
		t.Errorf("the bio shows on %d lines, want its 2", lines)
	}
	audit("/@browser")

	// Light and dark themes follow the system setting.
	do(t, ctx, "home", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.CSS("main")))
	light := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
		t.Fatal(err)
	}
	dark := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	if light == dark {
		t.Errorf("the dark theme has the light background %s", light)
	}
	// A phone: nothing wider than the screen.
	do(t, ctx, "phone viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.CSS("main")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the page is %d px wide on a 360 px screen", w)
	}

	// Delete, again without scripts.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "delete the tweet",
		chromedp.Click(chromedp.CSS("form.delete button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if got := flash(t, ctx); got != "Tweet deleted." {
		t.Errorf("after deleting the flash says %q", got)
	}

	// The one error expected is the 404 of /nowhere, visited on purpose.
	notFound := 0
	for _, m := range console() {
		switch {
		case strings.Contains(m, "status of 404"):
			notFound++
		case strings.Contains(m, "Content Security Policy"), strings.HasPrefix(m, "error"), strings.HasPrefix(m, "exception"):
			t.Errorf("console: %s", m)
		}
	}
	if notFound != 1 {
		t.Errorf("%d 404 errors in the console, want the one of /nowhere", notFound)
	}
}

// TestSocialInABrowser walks follow → home timeline → like → reply →
// notification in Chromium with JavaScript off, and audits the pages the
// social network adds.
func TestSocialInABrowser(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	writer := webtest.New(t, s.URL)
	writer.SignUp("writer", "writer-password")
	writer.PostTweet("hello reader", "", nil)

	ctx, console := newChromium(t)
	scripts(t, ctx, false)
	do(t, ctx, "sign up", signUp(s.URL, "reader", "reader-password")...)
	do(t, ctx, "follow",
		chromedp.Navigate(s.URL+"/@writer"),
		chromedp.Click(chromedp.CSS(`form[action="/users/writer/follow"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/users/writer/unfollow"]`)),
	)
	do(t, ctx, "like from the home timeline",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("article.tweet")),
		chromedp.Click(chromedp.CSS(`article.tweet form[action$="/like"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`article.tweet form[action$="/unlike"] button[aria-pressed="true"]`)),
	)
	do(t, ctx, "reply on the permalink",
		chromedp.Click(chromedp.CSS("article.tweet a.when")),
		chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.SendKeys(chromedp.ID("text"), "hello writer"),
		chromedp.Click(chromedp.CSS(".compose button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	scripts(t, ctx, true)
	if got := eval[string](t, ctx, `document.querySelector('#replies-heading').parentElement.textContent`); !strings.Contains(got, "hello writer") {
		t.Errorf("the thread's replies: %q", got)
	}
	audit := func(paths ...string) {
		t.Helper()
		for _, path := range paths {
			do(t, ctx, "open "+path, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
			if problems := eval[[]string](t, ctx, a11yAudit); len(problems) > 0 {
				t.Errorf("accessibility of %s: %v", path, problems)
			}
		}
	}
	permalink := eval[string](t, ctx, `location.pathname`)
	id := permalink[strings.LastIndex(permalink, "/")+1:]
	audit("/", "/public", "/@writer", "/@writer/followers", "/@reader/following", "/notifications",
		permalink, permalink+"/history", "/tweets/"+id+"/quote")
	// The reader's own reply, for the edit form.
	do(t, ctx, "open the reply", chromedp.Navigate(s.URL+"/@reader"), chromedp.WaitVisible(chromedp.CSS("article.tweet")))
	if edit := eval[string](t, ctx, `document.querySelector('article.tweet a[href$="/edit"]').getAttribute('href')`); edit != "" {
		audit(edit)
	} else {
		t.Error("no edit link on the reader's own reply")
	}

	// The writer, in the same browser after logging out, is told.
	scripts(t, ctx, false)
	do(t, ctx, "log out, log in as the writer",
		chromedp.Navigate(s.URL+"/"),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.Navigate(s.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("username"), "writer"),
		chromedp.SendKeys(chromedp.ID("password"), "writer-password"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	scripts(t, ctx, true)
	if badge := eval[string](t, ctx, `(document.querySelector('header .badge') || {}).textContent || ''`); !strings.HasPrefix(badge, "3") {
		t.Errorf("the notification count is %q, want 3 (follow, like, reply)", badge)
	}
	do(t, ctx, "notifications", chromedp.Navigate(s.URL+"/notifications"), chromedp.WaitVisible(chromedp.CSS("ol.notifications")))
	text := eval[string](t, ctx, `document.querySelector('ol.notifications').textContent`)
	for _, want := range []string{"@reader followed you", "@reader liked your tweet", "@reader replied", "hello writer"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("the notifications lack %q: %s", want, strings.Join(strings.Fields(text), " "))
		}
	}
	for _, m := range console() {
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "error") || strings.HasPrefix(m, "exception") {
			t.Errorf("console: %s", m)
		}
	}
}

// liveProbe counts the live streams a page has open, for the test: it
// wraps EventSource before the page's own script runs (what DevTools adds
// is not subject to the page's CSP).
const liveProbe = `(() => {
  const Native = window.EventSource;
  if (!Native) return;
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { window.liveOpen = (window.liveOpen || 0) + 1; });
    }
  };
})()`

// pollPage polls a JavaScript expression until it is true, for at most
// ten seconds.
func pollPage(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	do(t, ctx, what, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
}

// TestLiveInABrowser: with the home page open in Chromium, a tweet by an
// account followed offers "1 new tweet", and a like raises the unread
// count in the navigation, without a reload and without a CSP
// violation; the offer's link loads the new tweet.
func TestLiveInABrowser(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	writer := webtest.New(t, s.URL)
	writer.SignUp("writer", "writer-password")

	ctx, console := newChromium(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: liveProbe}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "sign up, follow the writer, tweet", append(signUp(s.URL, "reader", "reader-password"),
		chromedp.Navigate(s.URL+"/@writer"),
		chromedp.Click(chromedp.CSS(`form[action="/users/writer/follow"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/users/writer/unfollow"]`)),
		chromedp.Navigate(s.URL+"/"),
		chromedp.SendKeys(chromedp.ID("text"), "reader was here"),
		chromedp.Click(chromedp.CSS(".compose button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("article.tweet")),
	)...)
	pollPage(t, ctx, "the live stream opens", `window.liveOpen === 1`)
	own := eval[string](t, ctx, `window.stayed = true; document.querySelector('article.tweet a.when').getAttribute('href')`)
	if eval[bool](t, ctx, `document.querySelector('.live-banner a, #nav-notifications .badge') !== null`) {
		t.Error("the page offers new tweets or notifications before any")
	}

	writer.PostTweet("news, live", "", nil)
	pollPage(t, ctx, "the offer of the new tweet", `(document.querySelector('.live-banner a') || {}).textContent === '1 new tweet'`)
	writer.Post("/tweets/"+own[strings.LastIndex(own, "/")+1:]+"/like", nil)
	pollPage(t, ctx, "the unread count", `(document.querySelector('#nav-notifications .badge') || {}).textContent === '1 new'`)
	if nav := eval[string](t, ctx, `document.getElementById('nav-notifications').textContent.replace(/\s+/g, ' ')`); nav != "Notifications 1 new" {
		t.Errorf("the navigation reads %q", nav)
	}
	if !eval[bool](t, ctx, `window.stayed === true && document.querySelector('.live-banner').getAttribute('aria-live') === 'polite'`) {
		t.Error("the page reloaded, or the offer is not announced politely")
	}
	if problems := eval[[]string](t, ctx, a11yAudit); len(problems) > 0 {
		t.Errorf("accessibility with the offer shown: %v", problems)
	}
	do(t, ctx, "take the offer", chromedp.Click(chromedp.CSS(".live-banner a")), chromedp.WaitNotPresent(chromedp.CSS(".live-banner a")))
	if !eval[bool](t, ctx, `window.stayed === undefined && document.querySelector('main').textContent.includes('news, live')`) {
		t.Error("the offer's link does not load the new tweet")
	}

	for _, m := range console() {
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "error") || strings.HasPrefix(m, "exception") {
			t.Errorf("console: %s", m)
		}
	}
}
