package web

import (
	"net/http"

	"github.com/tweetsdev/tweets"
)

type reportPage struct {
	page
	Tweet   tweets.Tweet
	Reasons []string
	Error   string
	Reason  string
	Note    string
}

// reportForm shows the "report this tweet" form.
func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.VisibleTweet(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "report.html", reportPage{page: s.newPage(w, r, "Report a tweet"), Tweet: t, Reasons: tweets.ReportReasons})
	return nil
}

// reportTweet files a user's report for the admins.
func (s *Server) reportTweet(w http.ResponseWriter, r *http.Request) error {
	u, id, err := s.userPostOn(w, r)
	if err != nil {
		return err
	}
	_, err = s.svc.ReportTweet(r.Context(), *u, id, r.PostForm.Get("reason"), r.PostForm.Get("note"))
	var e *tweets.Error
	if err != nil && asDomain(err, &e) && e.Code == tweets.CodeInvalid {
		t, terr := s.svc.VisibleTweet(r.Context(), u, id)
		if terr != nil {
			return terr
		}
		s.render(w, r, statusOf(err), "report.html", reportPage{page: s.newPage(w, r, "Report a tweet"), Tweet: t,
			Reasons: tweets.ReportReasons, Error: e.Message, Reason: r.PostForm.Get("reason"), Note: r.PostForm.Get("note")})
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "Thank you: the report was sent to the admins.")
	return redirect(w, r, "/")
}
