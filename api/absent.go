package api

import (
	"net/http"

	"github.com/tweetsdev/tweets"
)

// Mastodon has features this product does not (custom emojis, filters,
// lists, trends, announcements, followed tags, suggestions, ...). Apps
// call their endpoints on every start; Mastodon itself answers an empty
// list where a server has none of a thing, so that is what is answered
// here, with the scope Mastodon asks for. Anything else under /api/ is
// a JSON 404, as Mastodon answers for an endpoint it does not have.

// emptyLists are the GET endpoints answered with [], each with the
// scope it needs ("" for anyone, "-" for any user's token).
var emptyLists = map[string]string{
	"/api/v1/custom_emojis":                 "",
	"/api/v1/trends":                        "",
	"/api/v1/trends/tags":                   "",
	"/api/v1/trends/statuses":               "",
	"/api/v1/trends/links":                  "",
	"/api/v1/instance/peers":                "",
	"/api/v1/instance/activity":             "",
	"/api/v1/instance/rules":                "",
	"/api/v1/instance/domain_blocks":        "",
	"/api/v1/directory":                     "",
	"/api/v1/accounts/{id}/featured_tags":   "",
	"/api/v1/accounts/{id}/lists":           "read:lists",
	"/api/v1/accounts/{id}/identity_proofs": "read:accounts",
	"/api/v1/announcements":                 "-",
	"/api/v1/filters":                       "read:filters",
	"/api/v2/filters":                       "read:filters",
	"/api/v1/lists":                         "read:lists",
	"/api/v1/followed_tags":                 "read:follows",
	"/api/v1/follow_requests":               "read:follows",
	"/api/v1/domain_blocks":                 "read:blocks",
	"/api/v1/endorsements":                  "read:accounts",
	"/api/v1/featured_tags":                 "read:accounts",
	"/api/v1/featured_tags/suggestions":     "read:accounts",
	"/api/v1/suggestions":                   "read",
	"/api/v2/suggestions":                   "read",
	"/api/v1/scheduled_statuses":            "read:statuses",
	"/api/v1/conversations":                 "read:statuses",
	"/api/v1/accounts/familiar_followers":   "read:follows",
}

// absentRoutes answers the endpoints of features this product lacks.
func (s *Server) absentRoutes(mux handler) {
	empty := func(w http.ResponseWriter, _ *http.Request, _ grant) error {
		writeJSON(w, http.StatusOK, []struct{}{})
		return nil
	}
	for path, scope := range emptyLists {
		var h http.Handler
		switch scope {
		case "":
			h = s.public(empty)
		case "-":
			h = s.user("", empty)
		default:
			h = s.user(scope, empty)
		}
		mux.Handle("GET "+path, h)
	}
	// A server with no web push has no subscription to show.
	mux.Handle("GET /api/v1/push/subscription", s.user("push", func(http.ResponseWriter, *http.Request, grant) error {
		return tweets.Errorf(tweets.CodeNotFound, "Record not found: this server does not send push notifications.")
	}))
	// Everything else under /api/ answers as Mastodon does for what a
	// server lacks: 404 with a JSON error.
	mux.Handle("/api/", s.public(func(http.ResponseWriter, *http.Request, grant) error {
		return tweets.Errorf(tweets.CodeNotFound, "This endpoint does not exist on this server.")
	}))
}
