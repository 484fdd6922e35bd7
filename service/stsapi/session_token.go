package stsapi

import (
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// GetSessionToken durations: 15 minutes to 36 hours for IAM users (12 hours
// by default), at most one hour for the root user.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html#API_GetSessionToken_RequestParameters
const (
	maxUserDuration     = 129600
	defaultUserDuration = 43200
	rootDuration        = 3600
)

type sessionTokenResult struct {
	Credentials xmlCredentials `xml:"Credentials"`
}

// getSessionToken implements GetSessionToken. No permission is needed:
// "You cannot use policies to control authentication operations."
// Temporary credentials cannot call it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
func getSessionToken(q *request) (any, error) {
	p := &params{v: q.v}
	dur := p.duration(minDuration, maxUserDuration, 0)
	mfa := p.mfa()
	if err := p.err(); err != nil {
		return nil, err
	}
	c := q.Caller
	if c.Sess != nil {
		return nil, accessDenied("Cannot call GetSessionToken with session credentials")
	}
	s := &model.Session{Account: c.Principal.Account, Kind: model.SessionToken, ARN: c.Principal.ARN, MFA: mfa}
	switch {
	case c.Principal.Type == authz.Root:
		// Root sessions last at most an hour.
		if dur == 0 || dur > rootDuration {
			dur = rootDuration
		}
	case c.User != nil:
		s.UserName, s.Name = c.User.Name, c.User.Name
		if dur == 0 {
			dur = defaultUserDuration
		}
	default:
		return nil, accessDenied("Cannot call GetSessionToken with session credentials")
	}
	newSession(s, q.Now, time.Duration(dur)*time.Second)
	if err := q.update(func(tx store.Tx) error { return state.PutSession(tx, s) }); err != nil {
		return nil, err
	}
	return sessionTokenResult{credentialsXML(s)}, nil
}
