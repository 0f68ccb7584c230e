package tweets

import (
	"slices"
	"strings"
)

// Scopes are the OAuth scopes a client asks for and a token carries, as
// Mastodon defines them: read, write, follow, push and profile, and the
// granular forms (read:statuses, write:media, ...) that each of read and
// write stands for.
type Scopes []string

// granular lists, for each top-level scope, the scopes it grants.
var granular = map[string][]string{
	"read": {"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows",
		"read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses"},
	"write": {"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
		"write:filters", "write:follows", "write:lists", "write:media", "write:mutes", "write:notifications",
		"write:reports", "write:statuses"},
	"follow":  {"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"},
	"push":    nil,
	"profile": nil,
}

// knownScope reports whether s is a scope this server grants.
func knownScope(s string) bool {
	if _, ok := granular[s]; ok {
		return true
	}
	return slices.Contains(granular["read"], s) || slices.Contains(granular["write"], s)
}

// ParseScopes reads scopes separated by spaces (or the '+' some clients
// leave encoded). None means "read", as in Mastodon. An unknown scope is
// refused, naming it.
func ParseScopes(s string) (Scopes, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '+' })
	if len(fields) == 0 {
		return Scopes{"read"}, nil
	}
	var sc Scopes
	for _, f := range fields {
		if !knownScope(f) {
			return nil, Invalid("scope", "The scope %q is not one this server grants: use read, write, follow, push, profile or a granular form such as read:statuses.", Echo(f, 40))
		}
		if !slices.Contains(sc, f) {
			sc = append(sc, f)
		}
	}
	return sc, nil
}

// String renders the scopes as OAuth does: separated by spaces.
func (sc Scopes) String() string { return strings.Join(sc, " ") }

// Allows reports whether the scopes grant need, a granular scope such as
// "read:statuses" (or a top-level one, which only itself grants).
func (sc Scopes) Allows(need string) bool {
	for _, s := range sc {
		if s == need || slices.Contains(granular[s], need) {
			return true
		}
	}
	return false
}

// Within reports whether every scope of sc is granted by of: a token
// can ask for no more than its app was registered with.
func (sc Scopes) Within(of Scopes) bool {
	for _, s := range sc {
		if of.Allows(s) {
			continue
		}
		// A top-level scope is within of when of holds all it grants.
		all := len(granular[s]) > 0
		for _, g := range granular[s] {
			all = all && of.Allows(g)
		}
		if !all {
			return false
		}
	}
	return true
}
