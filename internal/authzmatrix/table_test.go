package authzmatrix

import (
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/tweetsdev/tweets"
)

func form(kv ...string) func(*cell) url.Values {
	return func(*cell) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
}

// States that rows read.

func tweetCount(c *cell) any {
	st, err := c.f.svc.Stats(c.ctx)
	c.must(err)
	return st.Tweets
}

func userCount(c *cell) any {
	st, err := c.f.svc.Stats(c.ctx)
	c.must(err)
	return st.Users
}

// target is the target tweet as the subject sees it.
func target(c *cell) any { return c.tweetState(c.subject()) }

// relation is how the subject stands with the owner.
func relation(c *cell) any {
	rel, err := c.f.svc.Store.Relationship(c.ctx, c.subject().ID, c.owner.ID)
	c.must(err)
	return rel
}

// sessions are the subject's sessions: a log-in replaces the browser's
// session with a new one.
func sessions(c *cell) any {
	ss, err := c.f.svc.Store.SessionsOfUser(c.ctx, c.subject().ID, time.Now(), 100)
	c.must(err)
	var hashes []string
	for _, s := range ss {
		hashes = append(hashes, s.TokenHash)
	}
	slices.Sort(hashes)
	return hashes
}

func notifications(u func(*cell) tweets.User) func(*cell) any {
	return func(c *cell) any {
		ns, err := c.f.svc.NotificationList(c.ctx, u(c), 0, 40)
		c.must(err)
		return len(ns)
	}
}

func ownerOf(c *cell) tweets.User { return c.owner }

func subjectOf(c *cell) tweets.User { return c.subject() }

// ownNotification makes the target a notification of the owner's.
func ownNotification(c *cell) {
	c.fan(c.owner)
	ns, err := c.f.svc.NotificationList(c.ctx, c.owner, 0, 1)
	c.must(err)
	c.id = ns[0].ID.String()
}

// engaged has the subject like, repost or bookmark the owner's tweet
// first, for the rows that undo it.
func engaged(act func(*tweets.Service) func(c *cell) error) func(*cell) {
	return func(c *cell) {
		c.ownTweet()
		c.must(act(c.f.svc)(c))
	}
}

func liked(svc *tweets.Service) func(*cell) error {
	return func(c *cell) error { return svc.Like(c.ctx, c.subject(), c.idOf()) }
}

func reposted(svc *tweets.Service) func(*cell) error {
	return func(c *cell) error { return svc.Repost(c.ctx, c.subject(), c.idOf()) }
}

func bookmarked(svc *tweets.Service) func(*cell) error {
	return func(c *cell) error { return svc.Bookmark(c.ctx, c.subject(), c.idOf()) }
}

// related has the actor follow, block or mute the owner first, for the
// rows that undo it.
func related(act func(*tweets.Service) func(c *cell) error) func(*cell) {
	return func(c *cell) {
		if c.actor != nil && c.actor.ID != c.owner.ID {
			c.must(act(c.f.svc)(c))
		}
	}
}

func followed(svc *tweets.Service) func(*cell) error {
	return func(c *cell) error { _, err := svc.Follow(c.ctx, *c.actor, c.owner.Username); return err }
}

func blocking(svc *tweets.Service) func(*cell) error {
	return func(c *cell) error { _, err := svc.Block(c.ctx, *c.actor, c.owner.Username); return err }
}

func muting(svc *tweets.Service) func(*cell) error {
	return func(c *cell) error { _, err := svc.Mute(c.ctx, *c.actor, c.owner.Username); return err }
}

// ownerToken gives the owner an app with a token, kept as "token"; the
// target is the app.
func ownerToken(c *cell) {
	token, err := c.f.svc.CreatePersonalToken(c.ctx, c.owner, "owner's script", "read")
	c.must(err)
	apps, err := c.f.svc.AuthorizedApps(c.ctx, c.owner)
	c.must(err)
	c.id, c.values["token"] = apps[0].App.ID.String(), token
}

// appToken gives the owner a token of a registered app whose client id
// and secret are kept.
func appToken(c *cell) {
	c.app()
	c.code()
	token, _, err := c.f.svc.ExchangeCode(c.ctx, c.values["client_id"], c.values["client_secret"], c.values["code"], "https://app.example/cb", "")
	c.must(err)
	c.values["token"] = token
}

func tokenWorks(c *cell) any { return c.grants(c.values["token"]) }

// ownerApps counts the tokens the owner's apps hold.
func ownerApps(c *cell) any {
	apps, err := c.f.svc.AuthorizedApps(c.ctx, c.owner)
	c.must(err)
	n := 0
	for _, a := range apps {
		n += a.Tokens
	}
	return n
}

// ownUpload makes the target an image the owner uploaded for a status.
func ownUpload(c *cell) {
	p, err := c.f.svc.UploadMedia(c.ctx, c.owner, pictureUpload(), "")
	c.must(err)
	c.id = p.ID.String()
}

func uploadAlt(c *cell) any {
	ps, err := c.f.svc.Store.PendingMedia(c.ctx, c.owner.ID, []tweets.ID{c.idOf()})
	if err != nil {
		return "gone"
	}
	return ps[0].Media.Alt
}

func openReports(c *cell) any {
	rs, err := c.f.svc.Reports(c.ctx, tweets.Operator, tweets.ReportQuery{Limit: 100})
	c.must(err)
	return len(rs)
}

// secretText posts a tweet of the owner's with a text no one else has,
// makes it the target and returns its text.
func secretText(c *cell) string {
	text := fmt.Sprintf("secret of %s", c.owner.Username)
	c.id = c.tweet(c.owner, text).String()
	return text
}

// The expected outcomes, in the order of the roles:
//
//	anonymous owner other blocked suspended admin
//
// Pages: a POST without a session answers 401 (a GET redirects to the
// log-in page); a suspended account's session is gone, so its requests
// are anonymous ones, and a form it opened before the suspension fails
// the CSRF check (403) where the handler reads the form before asking
// who is logged in. API: a user endpoint without a token answers 401; a
// suspended account's token is refused with 403 on every endpoint.
const (
	pageOwnerOnly  = "401 303 403 403 401 403"
	pageAnyUser    = "401 303 303 303 401 303"
	pageAdminOnly  = "401 403 403 403 401 303"
	pageOwnRead    = "login 200 200 200 login 200"
	pageAdminRead  = "login 403 403 403 login 200"
	apiAnyUser     = "401 200 200 200 403 200"
	apiOwnerOnly   = "401 200 404 404 403 404" // others' records are not found
	apiAnyoneValid = "200 200 200 200 403 200" // public: any valid token, or none
)

// matrix is the table: every state-changing route, and the reads of
// private data.
func matrix() []row {
	return []row{
		// Tweets.
		{pattern: "POST /tweets", want: pageAnyUser, form: form("text", "hello"), state: tweetCount},
		// A reply to a hidden tweet is refused as one to a deleted tweet,
		// shown on its thread: which is hidden too (404).
		{pattern: "POST /tweets", action: "reply", want: "401 303 303 404 401 303", setup: (*cell).ownTweet,
			form: func(c *cell) url.Values { return url.Values{"text": {"a reply"}, "reply_to": {c.id}} }, state: tweetCount},
		{pattern: "POST /tweets", action: "quote", want: "401 303 303 422 401 303", setup: (*cell).ownTweet, // "was deleted"
			form: func(c *cell) url.Values { return url.Values{"text": {"a quote"}, "quote_id": {c.id}} }, state: tweetCount},
		{pattern: "POST /tweets/{id}/delete", want: pageOwnerOnly, setup: (*cell).ownTweet, state: target},
		{pattern: "POST /tweets/{id}/edit", want: pageOwnerOnly, setup: (*cell).ownTweet, form: form("text", "edited"), state: target},
		{pattern: "POST /tweets/{id}/{action}", action: "like", want: "401 303 303 404 401 303", setup: (*cell).ownTweet, state: target},
		// Undoing one's own like or repost is always allowed, even of a
		// tweet hidden since.
		{pattern: "POST /tweets/{id}/{action}", action: "unlike", want: pageAnyUser, setup: engaged(liked), state: target},
		{pattern: "POST /tweets/{id}/{action}", action: "repost", want: "401 303 303 404 401 303", setup: (*cell).ownTweet, state: target},
		{pattern: "POST /tweets/{id}/{action}", action: "unrepost", want: pageAnyUser, setup: engaged(reposted), state: target},
		{pattern: "POST /tweets/{id}/report", want: "401 403 303 404 401 303", setup: (*cell).ownTweet, form: form("reason", "Spam"), state: openReports},
		{pattern: "GET /tweets/{id}/edit", want: "login 200 403 403 login 403", setup: (*cell).ownTweet},
		{pattern: "GET /tweets/{id}/report", want: "login 200 200 404 login 200", setup: (*cell).ownTweet},
		{pattern: "GET /tweets/{id}/quote", want: "login 200 200 404 login 200", setup: (*cell).ownTweet},

		// Relationships with the owner's account. Following, blocking or
		// muting oneself is refused; undoing it answers as done.
		{pattern: "POST /users/{name}/{action}", action: "follow", want: "401 422 303 403 401 303", state: relation},
		{pattern: "POST /users/{name}/{action}", action: "unfollow", want: "401 303= 303 303= 401 303", setup: related(followed), state: relation}, // the block ended the follow
		{pattern: "POST /users/{name}/{action}", action: "block", want: "401 422 303 303 401 303", state: relation},
		{pattern: "POST /users/{name}/{action}", action: "unblock", want: "401 303= 303 303 401 303", setup: related(blocking), state: relation},
		{pattern: "POST /users/{name}/{action}", action: "mute", want: "401 422 303 303 401 303", state: relation},
		{pattern: "POST /users/{name}/{action}", action: "unmute", want: "401 303= 303 303 401 303", setup: related(muting), state: relation},

		// Signing up, in and out. Each opens the form first, as a
		// browser does, so a suspended account's stale session is gone:
		// its log-in is refused for the suspension itself.
		{pattern: "POST /signup", want: "303 303 303 303 303 303", page: "/signup", state: userCount,
			form: func(c *cell) url.Values {
				c.f.n++
				return url.Values{"username": {fmt.Sprintf("newcomer%d", c.f.n)}, "password": {password}}
			}},
		{pattern: "POST /login", want: "303 303 303 303 403 303", page: "/login", state: sessions,
			form: func(c *cell) url.Values {
				return url.Values{"username": {c.subject().Username}, "password": {password}}
			}},
		{pattern: "POST /logout", want: "303= 303 303 303 403 303", state: sessions},

		// The account's own settings: each changes the actor's own.
		{pattern: "POST /settings/profile", want: pageAnyUser, form: form("display_name", "New Name"),
			state: func(c *cell) any { return c.userState(c.subject()).DisplayName }},
		{pattern: "POST /settings/pictures", want: pageAnyUser, file: "avatar",
			state: func(c *cell) any { return c.userState(c.subject()).Avatar }},
		{pattern: "POST /settings/password", want: pageAnyUser,
			form:  form("current_password", password, "new_password", "another password", "confirm_password", "another password"),
			state: func(c *cell) any { return c.userState(c.subject()).PasswordHash }},
		{pattern: "POST /settings/apps/tokens", want: "401 200 200 200 401 200", form: form("token_name", "script", "scope", "read"),
			state: func(c *cell) any {
				apps, err := c.f.svc.AuthorizedApps(c.ctx, c.subject())
				c.must(err)
				return len(apps)
			}},
		{pattern: "POST /settings/delete", want: pageAnyUser, form: form("password", password),
			state: func(c *cell) any { return c.userState(c.subject()).ID }},
		// Settings naming something of the owner's.
		{pattern: "POST /settings/apps/{id}/revoke", want: "401 303 404 404 401 404", setup: ownerToken, state: tokenWorks},
		{pattern: "POST /settings/sessions/{hash}/end", want: pageOwnerOnly,
			setup: func(c *cell) {
				token, _, err := c.f.svc.StartSession(c.ctx, c.owner)
				c.must(err)
				c.hash = tweets.HashToken(token)
			},
			state: func(c *cell) any { _, err := c.f.svc.Store.SessionByHash(c.ctx, c.hash); return err == nil }},
		{pattern: "POST /oauth/authorize", want: "401 302 302 302 401 302", setup: (*cell).app,
			form: func(c *cell) url.Values {
				return url.Values{"decision": {"authorize"}, "client_id": {c.values["client_id"]}, "redirect_uri": {"https://app.example/cb"},
					"scope": {"read"}, "state": {"st8"}}
			}},
		// Private pages: each shows the actor's own, never the owner's.
		{pattern: "GET /notifications", want: pageOwnRead, secret: func(c *cell) string { return "@" + c.fan(c.owner).Username }},
		{pattern: "GET /settings", want: pageOwnRead},
		{pattern: "GET /settings/profile", want: pageOwnRead, secret: func(c *cell) string {
			_, err := c.f.svc.UpdateProfile(c.ctx, c.owner, tweets.Profile{DisplayName: "Secret " + c.owner.Username})
			c.must(err)
			return "Secret " + c.owner.Username
		}},
		{pattern: "GET /settings/password", want: pageOwnRead},
		{pattern: "GET /settings/sessions", want: pageOwnRead},
		{pattern: "GET /settings/apps", want: pageOwnRead, secret: func(c *cell) string {
			_, err := c.f.svc.CreatePersonalToken(c.ctx, c.owner, "script of "+c.owner.Username, "read")
			c.must(err)
			return "script of " + c.owner.Username
		}},
		{pattern: "GET /settings/delete", want: pageOwnRead},
		{pattern: "GET /settings/export", want: pageOwnRead},
		{pattern: "GET /oauth/authorize", want: pageOwnRead, setup: (*cell).app,
			form: func(c *cell) url.Values {
				return url.Values{"response_type": {"code"}, "client_id": {c.values["client_id"]}, "redirect_uri": {"https://app.example/cb"}, "scope": {"read"}}
			}},

		// The admin area.
		{pattern: "POST /admin/users/{id}/suspend", want: pageAdminOnly,
			setup: func(c *cell) { c.id = c.owner.ID.String() },
			state: func(c *cell) any { return c.userState(c.owner).Suspended() }},
		// The owner of a suspended account is logged out.
		{pattern: "POST /admin/users/{id}/unsuspend", want: "401 401 403 403 401 303",
			setup: func(c *cell) {
				c.id = c.owner.ID.String()
				c.must(c.f.svc.SetSuspended(c.ctx, tweets.Operator, c.owner.ID, true))
			},
			state: func(c *cell) any { return c.userState(c.owner).Suspended() }},
		{pattern: "POST /admin/users/{id}/clear-profile", want: pageAdminOnly,
			setup: func(c *cell) {
				c.id = c.owner.ID.String()
				_, err := c.f.svc.UpdateProfile(c.ctx, c.owner, tweets.Profile{DisplayName: "Owner", Bio: "bio"})
				c.must(err)
			},
			state: func(c *cell) any { u := c.userState(c.owner); return u.DisplayName + "|" + u.Bio }},
		{pattern: "POST /admin/tweets/{id}/delete", want: pageAdminOnly, setup: (*cell).ownTweet, state: target},
		// The owner of a report is the account that filed it.
		{pattern: "POST /admin/reports/{id}/resolve", want: pageAdminOnly, form: form("resolution", "done"),
			setup: func(c *cell) {
				author := c.f.user("author")
				r, err := c.f.svc.ReportTweet(c.ctx, c.owner, c.tweet(author, "reported"), "Spam", "")
				c.must(err)
				c.id = r.ID.String()
			},
			state: func(c *cell) any { r, err := c.f.svc.Store.ReportByID(c.ctx, c.idOf()); c.must(err); return r.Open() }},
		{pattern: "GET /admin", want: pageAdminRead},
		{pattern: "GET /admin/users", want: pageAdminRead},
		{pattern: "GET /admin/tweets", want: pageAdminRead},
		{pattern: "GET /admin/reports", want: pageAdminRead},
		{pattern: "GET /admin/audit", want: pageAdminRead},

		// API: OAuth. Public endpoints take any valid token, or none.
		{pattern: "POST /api/v1/apps", want: apiAnyoneValid,
			form: form("client_name", "An app", "redirect_uris", "https://app.example/cb", "scopes", "read")},
		// Whoever holds the app's secret and the owner's code gets the
		// token: the secret is the authorization.
		{pattern: "POST /oauth/token", want: apiAnyoneValid, state: ownerApps,
			setup: func(c *cell) { c.app(); c.code() },
			form: func(c *cell) url.Values {
				return url.Values{"grant_type": {"authorization_code"}, "code": {c.values["code"]}, "client_id": {c.values["client_id"]},
					"client_secret": {c.values["client_secret"]}, "redirect_uri": {"https://app.example/cb"}}
			}},
		{pattern: "POST /oauth/revoke", want: apiAnyoneValid, setup: appToken, state: tokenWorks,
			form: func(c *cell) url.Values {
				return url.Values{"client_id": {c.values["client_id"]}, "client_secret": {c.values["client_secret"]}, "token": {c.values["token"]}}
			}},

		// API: accounts.
		{pattern: "PATCH /api/v1/accounts/update_credentials", want: apiAnyUser, form: form("display_name", "New Name"),
			state: func(c *cell) any { return c.userState(c.subject()).DisplayName }},
		{pattern: "POST /api/v1/accounts/{id}/follow", want: "401 422 200 403 403 200", setup: ownerID, state: relation},
		{pattern: "POST /api/v1/accounts/{id}/unfollow", want: "401 200= 200 200= 403 200", setup: both(ownerID, related(followed)), state: relation},
		{pattern: "POST /api/v1/accounts/{id}/block", want: "401 422 200 200 403 200", setup: ownerID, state: relation},
		{pattern: "POST /api/v1/accounts/{id}/unblock", want: "401 200= 200 200 403 200", setup: both(ownerID, related(blocking)), state: relation},
		{pattern: "POST /api/v1/accounts/{id}/mute", want: "401 422 200 200 403 200", setup: ownerID, state: relation},
		{pattern: "POST /api/v1/accounts/{id}/unmute", want: "401 200= 200 200 403 200", setup: both(ownerID, related(muting)), state: relation},
		{pattern: "GET /api/v1/accounts/verify_credentials", want: apiAnyUser},
		{pattern: "GET /api/v1/preferences", want: apiAnyUser},
		{pattern: "GET /api/v1/blocks", want: apiAnyUser, secret: func(c *cell) string {
			foe := c.f.user("foe")
			_, err := c.f.svc.Block(c.ctx, c.owner, foe.Username)
			c.must(err)
			return `"` + foe.Username + `"`
		}},
		{pattern: "GET /api/v1/mutes", want: apiAnyUser, secret: func(c *cell) string {
			foe := c.f.user("foe")
			_, err := c.f.svc.Mute(c.ctx, c.owner, foe.Username)
			c.must(err)
			return `"` + foe.Username + `"`
		}},

		// API: statuses.
		{pattern: "POST /api/v1/statuses", want: apiAnyUser, form: form("status", "hello"), state: tweetCount},
		{pattern: "POST /api/v1/statuses", action: "reply", want: "401 200 200 422 403 200", setup: (*cell).ownTweet, state: tweetCount,
			form: func(c *cell) url.Values { return url.Values{"status": {"a reply"}, "in_reply_to_id": {c.id}} }},
		// The blocked account is told the status does not exist, the
		// others that it is not theirs.
		{pattern: "DELETE /api/v1/statuses/{id}", want: "401 200 403 404 403 403", setup: (*cell).ownTweet, state: target},
		{pattern: "PUT /api/v1/statuses/{id}", want: "401 200 403 403 403 403", setup: (*cell).ownTweet, form: form("status", "edited"), state: target},
		{pattern: "GET /api/v1/statuses/{id}/source", want: "401 200 403 403 403 403", setup: (*cell).ownTweet},
		{pattern: "POST /api/v1/statuses/{id}/favourite", want: "401 200 200 404 403 200", setup: (*cell).ownTweet, state: target},
		// Undoing is allowed, as on the pages, but the answer is the
		// status, which the blocked account may not see: 404, done.
		{pattern: "POST /api/v1/statuses/{id}/unfavourite", want: "401 200 200 404+ 403 200", setup: engaged(liked), state: target},
		{pattern: "POST /api/v1/statuses/{id}/reblog", want: "401 200 200 404 403 200", setup: (*cell).ownTweet, state: target},
		{pattern: "POST /api/v1/statuses/{id}/unreblog", want: "401 200 200 404+ 403 200", setup: engaged(reposted), state: target},
		{pattern: "POST /api/v1/statuses/{id}/bookmark", want: "401 200 200 404 403 200", setup: (*cell).ownTweet, state: target},
		{pattern: "POST /api/v1/statuses/{id}/unbookmark", want: "401 200 200 404+ 403 200", setup: engaged(bookmarked), state: target},
		{pattern: "GET /api/v1/bookmarks", want: apiAnyUser, secret: func(c *cell) string {
			text := secretText(c)
			c.must(c.f.svc.Bookmark(c.ctx, c.owner, c.idOf()))
			return text
		}},
		{pattern: "GET /api/v1/favourites", want: apiAnyUser, secret: func(c *cell) string {
			text := secretText(c)
			c.must(c.f.svc.Like(c.ctx, c.owner, c.idOf()))
			return text
		}},
		{pattern: "GET /api/v1/timelines/home", want: apiAnyUser},
		{pattern: "POST /api/v1/markers", want: apiAnyUser, form: form("home[last_read_id]", "12345"),
			state: func(c *cell) any {
				ms, err := c.f.svc.Markers(c.ctx, c.subject(), []string{"home"})
				c.must(err)
				return len(ms)
			}},
		{pattern: "GET /api/v1/markers", want: apiAnyUser},

		// API: media uploaded for a status.
		{pattern: "POST /api/v1/media", want: apiAnyUser, file: "file"},
		{pattern: "POST /api/v2/media", want: apiAnyUser, file: "file"},
		{pattern: "PUT /api/v1/media/{id}", want: apiOwnerOnly, setup: ownUpload, form: form("description", "a cat"), state: uploadAlt},
		{pattern: "GET /api/v1/media/{id}", want: apiOwnerOnly, setup: ownUpload},

		// API: notifications.
		{pattern: "POST /api/v1/notifications/{id}/dismiss", want: apiOwnerOnly, setup: ownNotification, state: notifications(ownerOf)},
		{pattern: "POST /api/v1/notifications/dismiss", want: apiOwnerOnly, setup: ownNotification, state: notifications(ownerOf),
			form: func(c *cell) url.Values { return url.Values{"id": {c.id}} }},
		{pattern: "POST /api/v1/notifications/clear", want: apiAnyUser, state: notifications(subjectOf),
			setup: func(c *cell) { c.fan(c.subject()) }},
		{pattern: "GET /api/v1/notifications", want: apiAnyUser, secret: func(c *cell) string { return `"` + c.fan(c.owner).Username + `"` }},
		{pattern: "GET /api/v1/notifications/{id}", want: apiOwnerOnly, setup: ownNotification},
	}
}

func ownerID(c *cell) { c.id = c.owner.ID.String() }

func both(fs ...func(*cell)) func(*cell) {
	return func(c *cell) {
		for _, f := range fs {
			f(c)
		}
	}
}
