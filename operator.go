package tweets

import (
	"context"
	"errors"
)

// Operator is the person at the server's command line: an admin without
// an account. Audit entries of theirs carry no actor id, and the admin
// pages show them as the command line's.
var Operator = User{Username: "", IsAdmin: true}

// OperatorCreateUser creates an account from the command line, an admin
// one if asked, and records it in the audit log, all or nothing.
func (s *Service) OperatorCreateUser(ctx context.Context, username, password string, admin bool) (User, error) {
	u, err := s.newAccount(ctx, username, password)
	if err != nil {
		return User{}, err
	}
	detail := ""
	if admin {
		detail = "admin"
	}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := s.insertAccount(ctx, tx, u); err != nil {
			return err
		}
		if admin {
			if err := tx.SetAdmin(ctx, u.ID, true); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, Operator, "user.create", "@"+u.Username, detail)
	})
	u.IsAdmin = admin
	return u, err
}

// OperatorSetPassword replaces an account's password from the command
// line, logs it out everywhere and records it in the audit log.
func (s *Service) OperatorSetPassword(ctx context.Context, username, password string) (User, error) {
	u, err := s.operatorFind(ctx, username)
	if err != nil {
		return User{}, err
	}
	return u, s.changePassword(ctx, u.ID, password, "", func(tx Store) error {
		return s.audit(ctx, tx, Operator, "user.password", "@"+u.Username, "sessions ended")
	})
}

// OperatorSetAdmin grants or revokes the admin flag from the command line
// and records it in the audit log.
func (s *Service) OperatorSetAdmin(ctx context.Context, username string, admin bool) (User, error) {
	u, err := s.operatorFind(ctx, username)
	if err != nil {
		return User{}, err
	}
	action := "user.admin.grant"
	if !admin {
		action = "user.admin.revoke"
	}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.SetAdmin(ctx, u.ID, admin); err != nil {
			return err
		}
		return s.audit(ctx, tx, Operator, action, "@"+u.Username, "")
	})
	u.IsAdmin = admin
	return u, err
}

func (s *Service) operatorFind(ctx context.Context, username string) (User, error) {
	u, err := s.Store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		return User{}, Errorf(CodeNotFound, "There is no account called @%s.", truncate(username, 40))
	}
	return u, err
}
