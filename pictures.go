package tweets

import "context"

// Pictures is what the profile form sends about the profile's pictures:
// a new avatar or header to store, or one to remove.
type Pictures struct {
	Avatar, Header             *Upload // nil: keep what is there
	RemoveAvatar, RemoveHeader bool
}

// UpdatePictures stores a new avatar or header, cut to shape, or removes
// one, and returns the account as it now is. The picture replaced goes
// to the trash. Every attempt that sends a file counts against the
// posting limit, as an upload and a decode cost the same here.
func (s *Service) UpdatePictures(ctx context.Context, actor User, p Pictures) (User, error) {
	if actor.Suspended() {
		return User{}, errSuspended
	}
	if p.Avatar != nil || p.Header != nil {
		if wait, ok := take(ctx, s.Limits.Post, actor.ID.String()); !ok {
			return User{}, tooMany(wait, "You are uploading very fast. Try again in %s.", roundUp(wait))
		}
	}
	for _, pic := range []struct {
		use    ImageUse
		field  string
		up     *Upload
		remove bool
		key    *string
	}{
		{UseAvatar, "avatar", p.Avatar, p.RemoveAvatar, &actor.Avatar},
		{UseHeader, "header", p.Header, p.RemoveHeader, &actor.Header},
	} {
		switch {
		case pic.up != nil:
			m, err := s.storeImage(ctx, pic.up, pic.use)
			if err != nil {
				return User{}, withField(err, pic.field)
			}
			if err := s.Store.SetProfileImage(ctx, actor.ID, pic.use, m.Key, m.ContentType); err != nil {
				s.discard(ctx, m.Key)
				return User{}, err
			}
			*pic.key = m.Key
		case pic.remove && *pic.key != "":
			if err := s.Store.SetProfileImage(ctx, actor.ID, pic.use, "", ""); err != nil {
				return User{}, err
			}
			*pic.key = ""
		}
	}
	return actor, nil
}

// withField points a refusal at the form field it concerns.
func withField(err error, field string) error {
	if e, ok := err.(*Error); ok && e.Field == "image" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
