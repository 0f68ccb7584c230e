package tweets

import (
	"time"
)

// Report is a user's complaint about a tweet, for admins to resolve.
type Report struct {
	ID            ID
	TweetID       ID
	TweetAuthorID ID
	TweetAuthor   string // filled by reads
	TweetText     string // copied when reported, so it outlives the tweet
	ReporterID    ID
	Reporter      string // filled by reads
	Reason        string
	CreatedAt     time.Time
	ResolvedAt    time.Time // zero while open
	ResolvedBy    ID
	Resolution    string
}

// Open reports whether no admin has resolved the report yet.
func (r Report) Open() bool { return r.ResolvedAt.IsZero() }

// ReportQuery selects reports, newest first.
type ReportQuery struct {
	Resolved bool // false: open reports; true: resolved ones
	Before   ID
	Limit    int
}

// AuditEntry records one admin action.
type AuditEntry struct {
	ID        ID
	ActorID   ID
	Actor     string // filled by reads
	Action    string // e.g. "tweet.delete", "user.suspend"
	Target    string // what it acted on, e.g. "tweet 123", "@bob"
	Detail    string
	CreatedAt time.Time
}

// UserQuery selects accounts, newest first.
type UserQuery struct {
	Search string // part of the username or display name, ignoring case
	Before ID
	Limit  int
}

// DayCount is a number of things made on one UTC day.
type DayCount struct {
	Day   time.Time
	Count int
}

// Stats are the admin dashboard's figures.
type Stats struct {
	Users, Tweets, OpenReports  int
	SignupsPerDay, TweetsPerDay []DayCount // the last days, oldest first
}
