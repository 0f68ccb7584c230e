package tweets

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
)

// What users do to their own accounts: change the password, end
// sessions, delete the account.

// UsernameReservation is how long the username of a deleted account
// stays out of reach of new accounts, so that nobody can take it at once
// and pass for its former owner.
const UsernameReservation = 30 * 24 * time.Hour

// MaxListedSessions bounds the sessions that a user's settings list.
const MaxListedSessions = 100

// maxUserAgentLength is how much of a browser's name a session keeps.
const maxUserAgentLength = 200

// checkReserved refuses a username that a deleted account held lately.
func (s *Service) checkReserved(ctx context.Context, store Store, username string) error {
	until, err := store.UsernameReservedUntil(ctx, username, s.now())
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return Invalid("username", "This username was in use recently; it is free again on %s. Choose another.",
		until.UTC().Format("January 2, 2006"))
}

// verifyPassword checks the password with which a logged-in user
// confirms an action. A wrong one counts as a failed log-in to the
// account from the client's address, and the log-in limits apply, so a
// stolen session cannot guess the password faster than the log-in form.
func (s *Service) verifyPassword(ctx context.Context, actor User, password, clientIP, field string) error {
	pair := NormalizeUsername(actor.Username) + "|" + clientIP
	if wait, ok := take(ctx, s.Limits.LoginPair, pair); !ok {
		return tooMany(wait, "Too many wrong passwords for this account from your address. Try again in %s.", roundUp(wait))
	}
	if wait, ok := take(ctx, s.Limits.LoginAddress, clientIP); !ok {
		giveBack(ctx, s.Limits.LoginPair, pair)
		return tooMany(wait, "Too many wrong passwords from your address. Try again in %s.", roundUp(wait))
	}
	refund := func() {
		giveBack(ctx, s.Limits.LoginPair, pair)
		giveBack(ctx, s.Limits.LoginAddress, clientIP)
	}
	wrong := Invalid(field, "That is not your password. Type your current password.")
	if password == "" || len(password) > MaxPasswordLength*4 {
		return wrong
	}
	u, err := s.Store.UserByID(ctx, actor.ID)
	if err != nil {
		refund()
		return err
	}
	leave, err := s.Hashing.Enter(ctx)
	if err != nil {
		refund()
		return err
	}
	ok, err := s.Passwords.Verify(u.PasswordHash, password)
	leave()
	if err != nil {
		refund()
		return err
	}
	if !ok {
		return wrong
	}
	refund()
	if s.Limits.LoginPair != nil {
		s.Limits.LoginPair.Reset(ctx, pair)
	}
	return nil
}

// PasswordChange is what a user sends to change their password.
type PasswordChange struct {
	Current, New, Confirm string
	ClientIP              string
	// Session is the token of the session that asks: it stays logged
	// in, and every other session of the account ends.
	Session string
}

// ChangePassword replaces the actor's password once they have proved
// they know the current one, and ends every other session.
func (s *Service) ChangePassword(ctx context.Context, actor User, c PasswordChange) error {
	if actor.Suspended() {
		return errSuspended
	}
	if err := ValidatePassword(c.New); err != nil {
		return Invalid("new_password", "%s", ErrorMessage(err))
	}
	if c.New != c.Confirm {
		return Invalid("confirm_password", "The new password and its confirmation differ. Type the same new password twice.")
	}
	if err := s.verifyPassword(ctx, actor, c.Current, c.ClientIP, "current_password"); err != nil {
		return err
	}
	keep := ""
	if c.Session != "" {
		keep = HashToken(c.Session)
	}
	return s.changePassword(ctx, actor.ID, c.New, keep, nil)
}

// ActiveSession is a session as its user sees it in the settings.
type ActiveSession struct {
	Session
	// Current marks the session of the client that asks.
	Current bool
}

// Sessions lists the actor's live sessions, newest first; current is the
// token of the asking client's session.
func (s *Service) Sessions(ctx context.Context, actor User, current string) ([]ActiveSession, error) {
	ss, err := s.Store.SessionsOfUser(ctx, actor.ID, s.now(), MaxListedSessions)
	if err != nil {
		return nil, err
	}
	mine := ""
	if current != "" {
		mine = HashToken(current)
	}
	out := make([]ActiveSession, len(ss))
	for i, sess := range ss {
		out[i] = ActiveSession{Session: sess, Current: sess.TokenHash == mine}
	}
	return out, nil
}

// EndOwnSession logs out one of the actor's other sessions, named by its
// token hash as Sessions lists it; current is the token of the asking
// client's session, which logs out instead.
func (s *Service) EndOwnSession(ctx context.Context, actor User, tokenHash, current string) error {
	sess, err := s.Store.SessionByHash(ctx, tokenHash)
	if errors.Is(err, ErrNotFound) {
		return Errorf(CodeNotFound, "This session has ended already.")
	}
	if err != nil {
		return err
	}
	if sess.UserID != actor.ID {
		return Errorf(CodeForbidden, "You can end only your own sessions.")
	}
	if current != "" && HashToken(current) == tokenHash {
		return Errorf(CodeInvalid, "This is the session of the browser you are using: to end it, log out.")
	}
	return s.Store.DeleteSession(ctx, tokenHash)
}

// DeleteAccount deletes the actor's account once they confirm it with
// their password: in one transaction the account, its tweets and their
// media records, its sessions and the reports it filed go (admins' audit
// entries stay), and the username is reserved for UsernameReservation.
// Its media files go to the trash with the rows.
func (s *Service) DeleteAccount(ctx context.Context, actor User, password, clientIP string) error {
	if err := s.verifyPassword(ctx, actor, password, clientIP, "password"); err != nil {
		return err
	}
	until := s.now().Add(UsernameReservation)
	err := s.Store.Atomic(ctx, func(tx Store) (err error) {
		if _, err = tx.DeleteUser(ctx, actor.ID); err != nil {
			return err
		}
		return tx.ReserveUsername(ctx, actor.Username, until)
	})
	if err != nil {
		return err
	}
	s.publish(ctx, Event{Kind: EventUserDeleted, Account: actor.ID})
	return nil
}

// cleanUserAgent keeps what a page can show of a client's name: valid
// UTF-8 without control characters, up to maxUserAgentLength.
func cleanUserAgent(ua string) string {
	ua = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(ua, "\uFFFD"))
	return truncateRunes(strings.TrimSpace(ua), maxUserAgentLength)
}
