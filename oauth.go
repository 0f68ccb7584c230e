package tweets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// OutOfBand is the redirect URI of a client that shows the code to its
// user to copy, instead of receiving it.
const OutOfBand = "urn:ietf:wg:oauth:2.0:oob"

// App is a client registered for the API (POST /api/v1/apps): a phone or
// desktop app, or a personal access token's holder.
type App struct {
	ID           ID
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       Scopes
	ClientID     string
	SecretHash   string // the stored form of the client secret
	CreatedAt    time.Time
}

// AuthCode is an authorization code, good once, briefly.
type AuthCode struct {
	CodeHash    string
	AppID       ID
	UserID      ID
	RedirectURI string
	Scopes      Scopes
	// Challenge is the PKCE code challenge (S256), or empty.
	Challenge string
	ExpiresAt time.Time
}

// Token is an access token's record: its hash, whom it acts for (no
// user for an app's own client_credentials token) and what it may do.
type Token struct {
	TokenHash string
	AppID     ID
	UserID    ID // zero for an app-only token
	Scopes    Scopes
	CreatedAt time.Time
}

// TokenGrant is what a valid access token lets a request do.
type TokenGrant struct {
	App    App
	User   *User // nil for an app-only token
	Scopes Scopes
}

// Limits of what apps register.
const (
	MaxAppNameLength = 100
	maxRedirectURIs  = 10
	authCodeTTL      = 10 * time.Minute
)

// errBadClient is the answer for an unknown client id and a wrong secret
// alike, so that neither can be probed.
var errBadClient = Errorf(CodeUnauthorized, "Client authentication failed: check the client_id and client_secret.")

// CreateApp registers a client and returns it with its secret, which is
// shown once and stored hashed.
func (s *Service) CreateApp(ctx context.Context, name, redirectURIs, scopes, website string) (App, string, error) {
	name = strings.TrimSpace(name)
	if err := CheckText("client_name", name); err != nil {
		return App{}, "", err
	}
	if name == "" || utf8.RuneCountInString(name) > MaxAppNameLength {
		return App{}, "", Invalid("client_name", "Give the app a name of 1 to %d characters.", MaxAppNameLength)
	}
	uris, err := parseRedirectURIs(redirectURIs)
	if err != nil {
		return App{}, "", err
	}
	sc, err := ParseScopes(scopes)
	if err != nil {
		return App{}, "", err
	}
	if website != "" {
		if u, err := url.Parse(website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(website) > 2000 {
			return App{}, "", Invalid("website", "The website must be an http or https address.")
		}
	}
	secret := randomToken()
	a := App{ID: s.IDs.New(), Name: name, Website: website, RedirectURIs: uris, Scopes: sc,
		ClientID: randomToken(), SecretHash: HashToken(secret), CreatedAt: s.now()}
	if err := s.Store.CreateApp(ctx, a); err != nil {
		return App{}, "", err
	}
	return a, secret, nil
}

// parseRedirectURIs reads the redirect URIs an app registers, one per
// line (or separated by spaces): absolute URIs without a fragment (a
// custom scheme for a phone app is fine), or the out-of-band one.
func parseRedirectURIs(s string) ([]string, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, Invalid("redirect_uris", "Give at least one redirect URI, or %s for a client that shows the code to copy.", OutOfBand)
	}
	if len(fields) > maxRedirectURIs {
		return nil, Invalid("redirect_uris", "Give at most %d redirect URIs.", maxRedirectURIs)
	}
	for _, f := range fields {
		if f == OutOfBand {
			continue
		}
		// An empty fragment ("#") is a fragment too: the code appended
		// after it would land in the fragment, not the query.
		u, err := url.Parse(f)
		if err != nil || u.Scheme == "" || strings.Contains(f, "#") || len(f) > 2000 || strings.EqualFold(u.Scheme, "javascript") || strings.EqualFold(u.Scheme, "data") {
			return nil, Invalid("redirect_uris", "The redirect URI %q is not an absolute URI without a fragment.", Echo(f, 80))
		}
	}
	return fields, nil
}

// authenticateApp checks a client's id and secret.
func (s *Service) authenticateApp(ctx context.Context, clientID, secret string) (App, error) {
	a, err := s.Store.AppByClientID(ctx, clientID)
	if errors.Is(err, ErrNotFound) {
		return App{}, errBadClient
	}
	if err != nil {
		return App{}, err
	}
	if subtle.ConstantTimeCompare([]byte(a.SecretHash), []byte(HashToken(secret))) != 1 {
		return App{}, errBadClient
	}
	return a, nil
}

// AuthRequest is what a client asks GET /oauth/authorize for.
type AuthRequest struct {
	ClientID, RedirectURI, Scope string
	// CodeChallenge and its method (only S256) bind the code to the
	// client that asked (PKCE).
	CodeChallenge, CodeChallengeMethod string
}

// CheckAuthRequest validates an authorization request before its user
// is asked, and returns the app and the scopes asked for. An error
// about the client or the redirect URI must be shown to the user, never
// sent to the redirect URI (it may not be the client's).
func (s *Service) CheckAuthRequest(ctx context.Context, req AuthRequest) (App, Scopes, error) {
	a, err := s.Store.AppByClientID(ctx, req.ClientID)
	if errors.Is(err, ErrNotFound) {
		return App{}, nil, Invalid("client_id", "This app is not registered here: its client_id is unknown.")
	}
	if err != nil {
		return App{}, nil, err
	}
	if !slices.Contains(a.RedirectURIs, req.RedirectURI) {
		return App{}, nil, Invalid("redirect_uri", "The redirect_uri is not one this app registered.")
	}
	sc, err := ParseScopes(req.Scope)
	if err != nil {
		return App{}, nil, err
	}
	if !sc.Within(a.Scopes) {
		return App{}, nil, Invalid("scope", "The app asks for more (%s) than it registered for (%s).", sc, a.Scopes)
	}
	// A challenge without a method is plain PKCE (RFC 7636 4.3), which is
	// not supported: ignoring it would give a client that asked for PKCE
	// a code that its secret alone redeems.
	switch {
	case req.CodeChallengeMethod == "" && req.CodeChallenge == "":
	case req.CodeChallengeMethod != "S256":
		return App{}, nil, Invalid("code_challenge_method", "Only the S256 code challenge method is supported.")
	case !validChallenge(req.CodeChallenge):
		return App{}, nil, Invalid("code_challenge", "The code challenge must be a base64url SHA-256 (43 characters).")
	}
	return a, sc, nil
}

// validChallenge reports whether c is what an S256 challenge is: a
// SHA-256 in base64url without padding, so that some verifier can match
// it. Any other 43 characters would make a code that no one can redeem.
func validChallenge(c string) bool {
	sum, err := base64.RawURLEncoding.Strict().DecodeString(c)
	return err == nil && len(sum) == sha256.Size
}

// GrantCode records that user approved req, and returns the code to
// give the client.
func (s *Service) GrantCode(ctx context.Context, user User, req AuthRequest) (string, error) {
	if user.Suspended() {
		return "", errSuspended
	}
	a, sc, err := s.CheckAuthRequest(ctx, req)
	if err != nil {
		return "", err
	}
	code := randomToken()
	challenge := ""
	if req.CodeChallengeMethod == "S256" {
		challenge = req.CodeChallenge
	}
	err = s.Store.CreateAuthCode(ctx, AuthCode{CodeHash: HashToken(code), AppID: a.ID, UserID: user.ID,
		RedirectURI: req.RedirectURI, Scopes: sc, Challenge: challenge, ExpiresAt: s.now().Add(authCodeTTL)})
	return code, err
}

// errBadGrant answers every code that cannot be exchanged: unknown, used,
// expired, or another client's.
var errBadGrant = Invalid("code", "The authorization code is invalid, expired or already used: ask the user again.")

// ExchangeCode turns an authorization code into an access token (the
// authorization_code grant). The code goes with the first try, right or
// wrong, so it cannot be guessed at.
func (s *Service) ExchangeCode(ctx context.Context, clientID, secret, code, redirectURI, verifier string) (string, Token, error) {
	a, err := s.Store.AppByClientID(ctx, clientID)
	if errors.Is(err, ErrNotFound) {
		return "", Token{}, errBadClient
	}
	if err != nil {
		return "", Token{}, err
	}
	c, err := s.Store.TakeAuthCode(ctx, HashToken(code))
	if errors.Is(err, ErrNotFound) {
		return "", Token{}, errBadGrant
	}
	if err != nil {
		return "", Token{}, err
	}
	if c.AppID != a.ID || !c.ExpiresAt.After(s.now()) || c.RedirectURI != redirectURI {
		return "", Token{}, errBadGrant
	}
	switch {
	case c.Challenge != "":
		// A public client (a phone app) proves with the verifier that
		// it is the one that asked; its secret may be known to all.
		sum := sha256.Sum256([]byte(verifier))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != c.Challenge {
			return "", Token{}, Invalid("code_verifier", "The code_verifier does not match the code challenge.")
		}
	default:
		if _, err := s.authenticateApp(ctx, clientID, secret); err != nil {
			return "", Token{}, err
		}
	}
	return s.issueToken(ctx, a.ID, c.UserID, c.Scopes)
}

// ClientToken issues a token for the app itself (client_credentials):
// it reads public data and registers nothing on anyone's behalf.
func (s *Service) ClientToken(ctx context.Context, clientID, secret, scope string) (string, Token, error) {
	a, err := s.authenticateApp(ctx, clientID, secret)
	if err != nil {
		return "", Token{}, err
	}
	sc, err := ParseScopes(scope)
	if err != nil {
		return "", Token{}, err
	}
	if !sc.Within(a.Scopes) {
		return "", Token{}, Invalid("scope", "The app asks for more (%s) than it registered for (%s).", sc, a.Scopes)
	}
	return s.issueToken(ctx, a.ID, 0, sc)
}

func (s *Service) issueToken(ctx context.Context, appID, userID ID, sc Scopes) (string, Token, error) {
	token := randomToken()
	t := Token{TokenHash: HashToken(token), AppID: appID, UserID: userID, Scopes: sc, CreatedAt: s.now()}
	if err := s.Store.CreateToken(ctx, t); err != nil {
		return "", Token{}, err
	}
	return token, t, nil
}

// RevokeToken revokes a token the client holds. As RFC 7009 asks, an
// unknown token is no error.
func (s *Service) RevokeToken(ctx context.Context, clientID, secret, token string) error {
	a, err := s.authenticateApp(ctx, clientID, secret)
	if err != nil {
		return err
	}
	err = s.Store.DeleteToken(ctx, HashToken(token), a.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// errBadToken answers a missing, unknown or revoked bearer token.
var errBadToken = Errorf(CodeUnauthorized, "The access token is invalid.")

// Grant returns what a bearer token lets its holder do. The user of a
// suspended account is refused, as a session is logged out.
func (s *Service) Grant(ctx context.Context, token string) (TokenGrant, error) {
	if token == "" {
		return TokenGrant{}, errBadToken
	}
	t, a, u, err := s.Store.TokenByHash(ctx, HashToken(token))
	if errors.Is(err, ErrNotFound) {
		return TokenGrant{}, errBadToken
	}
	if err != nil {
		return TokenGrant{}, err
	}
	g := TokenGrant{App: a, Scopes: t.Scopes}
	if t.UserID != 0 {
		if u.Suspended() {
			return TokenGrant{}, errSuspended
		}
		g.User = &u
	}
	return g, nil
}

// randomToken returns 256 random bits in base64url: client ids, secrets,
// codes and access tokens.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// AuthorizedApps lists the apps that may act for the actor.
func (s *Service) AuthorizedApps(ctx context.Context, actor User) ([]AuthorizedApp, error) {
	return s.Store.AuthorizedApps(ctx, actor.ID)
}

// RevokeApp withdraws every token the app holds for the actor.
func (s *Service) RevokeApp(ctx context.Context, actor User, appID ID) error {
	err := s.Store.DeleteUserTokens(ctx, actor.ID, appID)
	if errors.Is(err, ErrNotFound) {
		return Errorf(CodeNotFound, "This app holds no access to your account.")
	}
	return err
}

// CreatePersonalToken makes an access token for the actor's own scripts:
// an app of its own, named, with the scopes given, and one token for
// it, shown once.
func (s *Service) CreatePersonalToken(ctx context.Context, actor User, name, scopes string) (string, error) {
	if actor.Suspended() {
		return "", errSuspended
	}
	if wait, ok := take(ctx, s.Limits.Post, actor.ID.String()); !ok {
		return "", tooMany(wait, "You are creating tokens very fast. Try again in %s.", roundUp(wait))
	}
	a, _, err := s.CreateApp(ctx, name, OutOfBand, scopes, "")
	if err != nil {
		if e, ok := err.(*Error); ok && e.Field == "client_name" {
			return "", Invalid("token_name", "Give the token a name of 1 to %d characters, to tell it apart later.", MaxAppNameLength)
		}
		return "", err
	}
	token, _, err := s.issueToken(ctx, a.ID, actor.ID, a.Scopes)
	return token, err
}
