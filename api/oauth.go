package api

import (
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

// Application is what POST /api/v1/apps returns; the secret only then.
type Application struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Website      *string  `json:"website"`
	RedirectURI  string   `json:"redirect_uri"`
	RedirectURIs []string `json:"redirect_uris"`
	Scopes       []string `json:"scopes"`
	ClientID     string   `json:"client_id,omitempty"`
	ClientSecret string   `json:"client_secret,omitempty"`
	VapidKey     string   `json:"vapid_key"`
}

func application(a tweets.App) Application {
	out := Application{ID: a.ID.String(), Name: a.Name, RedirectURI: strings.Join(a.RedirectURIs, "\n"),
		RedirectURIs: a.RedirectURIs, Scopes: a.Scopes}
	if a.Website != "" {
		w := a.Website
		out.Website = &w
	}
	return out
}

// createApp registers a client: POST /api/v1/apps.
func (s *Server) createApp(w http.ResponseWriter, r *http.Request, _ grant) error {
	p, err := readParams(w, r)
	if err != nil {
		return err
	}
	uris := strings.Join(p.list("redirect_uris"), "\n")
	a, secret, err := s.svc.CreateApp(r.Context(), p.get("client_name"), uris, p.get("scopes"), p.get("website"))
	if err != nil {
		return err
	}
	out := application(a)
	out.ClientID, out.ClientSecret = a.ClientID, secret
	writeJSON(w, http.StatusOK, out)
	return nil
}

// verifyApp shows the app a token belongs to.
func (s *Server) verifyApp(w http.ResponseWriter, _ *http.Request, g grant) error {
	writeJSON(w, http.StatusOK, application(g.App))
	return nil
}

// tokenError is RFC 6749's error body for the token endpoint.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// tokenResponse is what POST /oauth/token returns.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

// token issues access tokens: POST /oauth/token, for the
// authorization_code grant (with PKCE or the client secret) and
// client_credentials. Errors take RFC 6749's form, which clients parse.
func (s *Server) token(w http.ResponseWriter, r *http.Request, _ grant) error {
	p, err := readParams(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, tokenError{"invalid_request", tweets.ErrorMessage(err)})
		return nil
	}
	clientID, secret := p.get("client_id"), p.get("client_secret")
	if id, sec, ok := r.BasicAuth(); ok {
		clientID, secret = id, sec
	}
	var tok string
	var t tweets.Token
	switch p.get("grant_type") {
	case "authorization_code":
		tok, t, err = s.svc.ExchangeCode(r.Context(), clientID, secret, p.get("code"), p.get("redirect_uri"), p.get("code_verifier"))
	case "client_credentials":
		tok, t, err = s.svc.ClientToken(r.Context(), clientID, secret, p.get("scope"))
	case "":
		writeJSON(w, http.StatusBadRequest, tokenError{"invalid_request", "The grant_type parameter is missing."})
		return nil
	default:
		writeJSON(w, http.StatusBadRequest, tokenError{"unsupported_grant_type", "Use authorization_code or client_credentials."})
		return nil
	}
	if err != nil {
		code, status := "invalid_grant", http.StatusBadRequest
		switch {
		case tweets.ErrorCode(err) == tweets.CodeUnauthorized:
			code, status = "invalid_client", http.StatusUnauthorized
		case strings.Contains(tweets.ErrorMessage(err), "scope"):
			code = "invalid_scope"
		case tweets.ErrorCode(err) != tweets.CodeInvalid:
			return err
		}
		writeJSON(w, status, tokenError{code, tweets.ErrorMessage(err)})
		return nil
	}
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: tok, TokenType: "Bearer", Scope: t.Scopes.String(), CreatedAt: t.CreatedAt.Unix()})
	return nil
}

// revoke revokes a token: POST /oauth/revoke (RFC 7009).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request, _ grant) error {
	p, err := readParams(w, r)
	if err != nil {
		return err
	}
	clientID, secret := p.get("client_id"), p.get("client_secret")
	if id, sec, ok := r.BasicAuth(); ok {
		clientID, secret = id, sec
	}
	if err := s.svc.RevokeToken(r.Context(), clientID, secret, p.get("token")); err != nil {
		if tweets.ErrorCode(err) == tweets.CodeUnauthorized {
			writeJSON(w, http.StatusUnauthorized, tokenError{"invalid_client", tweets.ErrorMessage(err)})
			return nil
		}
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// authServerMetadata is RFC 8414's document.
func (s *Server) authServerMetadata(w http.ResponseWriter, r *http.Request, _ grant) error {
	base := s.baseURL(r)
	scopes := []string{"read", "write", "follow", "push", "profile"}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/",
		"authorization_endpoint":                base + "/oauth/authorize",
		"token_endpoint":                        base + "/oauth/token",
		"revocation_endpoint":                   base + "/oauth/revoke",
		"app_registration_endpoint":             base + "/api/v1/apps",
		"scopes_supported":                      scopes,
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"service_documentation":                 "https://docs.joinmastodon.org/",
	})
	return nil
}
