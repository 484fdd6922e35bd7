package iamapi

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Login profiles: an IAM user's password for the AWS Management Console.
// verdict serves no console, so a password is only ever stored (as a
// salted hash), never checked.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html

func init() {
	register("CreateLoginProfile", createLoginProfile)
	register("GetLoginProfile", getLoginProfile)
	register("UpdateLoginProfile", updateLoginProfile)
	register("DeleteLoginProfile", deleteLoginProfile)
}

type xmlLoginProfile struct {
	UserName              string          `xml:"UserName"`
	CreateDate            query.Timestamp `xml:"CreateDate"`
	PasswordResetRequired bool            `xml:"PasswordResetRequired"`
}

type loginProfileResult struct {
	LoginProfile xmlLoginProfile `xml:"LoginProfile"`
}

// loginProfileXML renders the LoginProfile data type.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_LoginProfile.html
func loginProfileXML(u *model.User, lp *model.LoginProfile) loginProfileResult {
	return loginProfileResult{xmlLoginProfile{UserName: u.Name, CreateDate: query.Timestamp{Time: lp.Created},
		PasswordResetRequired: lp.PasswordResetRequired}}
}

// noLoginProfile is NoSuchEntity for a user without a password
// (UNCONFIRMED wording).
func noLoginProfile(user string) error {
	return noSuchEntity("Login Profile for User " + user + " cannot be found.")
}

// pbkdf2Iterations is the work factor of stored password hashes: OWASP's
// figure for PBKDF2-HMAC-SHA256 is far higher, but verdict never checks a
// password, so the hash only has to keep the password out of the store.
const pbkdf2Iterations = 10000

// hashPassword returns a login profile's salt and hash of password.
func hashPassword(password string) (salt, hash string, err error) {
	s := make([]byte, 16)
	if _, err := rand.Read(s); err != nil {
		return "", "", err
	}
	h, err := pbkdf2.Key(sha256.New, password, s, pbkdf2Iterations, 32)
	if err != nil {
		return "", "", err
	}
	return base64.StdEncoding.EncodeToString(s), base64.StdEncoding.EncodeToString(h), nil
}

// passwordSymbols are the characters IAM counts as symbols in passwords.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html#API_UpdateAccountPasswordPolicy_RequestParameters
const passwordSymbols = "!@#$%^&*()_+-=[]{}|'"

// Default password policy, which applies while the account has no custom
// one (verdict has no UpdateAccountPasswordPolicy, so always): at least 8
// characters, at least three of uppercase letters, lowercase letters,
// digits and symbols, and not identical to the account's name or email
// address.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html#default-policy-details
const minPasswordLength = 8

// checkPassword applies the default password policy. The message of
// PasswordPolicyViolation is UNCONFIRMED.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html#API_CreateLoginProfile_Errors
func checkPassword(tx store.Tx, account, password string) error {
	violation := awserr.New("PasswordPolicyViolation", http.StatusBadRequest,
		"Password does not conform to the account password policy.")
	if utf8.RuneCountInString(password) < minPasswordLength {
		return violation
	}
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	n := 0
	for _, b := range []bool{upper, lower, digit, symbol} {
		if b {
			n++
		}
	}
	if n < 3 {
		return violation
	}
	a, err := state.LookupAccount(tx, account)
	if err != nil && !isNotFound(err) {
		return err
	}
	if a != nil && (a.Name != "" && password == a.Name || a.Email != "" && password == a.Email) {
		return violation
	}
	return nil
}

// loginUser returns the UserName parameter, or the calling IAM user's name
// when it is absent: CreateLoginProfile, GetLoginProfile and
// DeleteLoginProfile default to the caller ("If no user name is included,
// it defaults to the principal making the request"). Other callers must
// name a user (assumed to be answered as GetUser answers them).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html#API_GetLoginProfile_RequestParameters
func (q *request) loginUser(p *params) string {
	name := p.name("UserName", model.UserNameRule, false)
	if q.v.Has("UserName") {
		return name
	}
	if q.Caller.User != nil && q.Caller.Principal.Type == authz.User {
		return q.Caller.User.Name
	}
	return ""
}

// password returns the Password parameter: 1 to 128 characters, reported
// without the value, as AWS hides passwords in messages.
func (p *params) password(param string, required bool) string {
	s := p.str(param, required)
	if !p.v.Has(param) {
		return ""
	}
	if c := model.PasswordRule.Check(s); c != "" {
		p.vs = append(p.vs, query.Violation{Member: member(param), Sensitive: true, Constraint: c})
	}
	return s
}

// createLoginProfile implements CreateLoginProfile.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html
func createLoginProfile(q *request) (any, error) {
	p := q.params()
	name := q.loginUser(p)
	password := p.password("Password", true)
	reset := p.boolean("PasswordResetRequired", false)
	if err := p.err(); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, nonUserCredentials()
	}
	var out loginProfileResult
	err := q.update(func(tx store.Tx) error {
		e, err := q.entityFor(tx, userKind, name, "iam:CreateLoginProfile", nil, false)
		if err != nil {
			return err
		}
		if has, err := state.HasLoginProfile(tx, q.account, e.user.ID); err != nil {
			return err
		} else if has {
			// UNCONFIRMED wording.
			return alreadyExists("Login Profile for user " + e.user.Name + " already exists.")
		}
		if err := checkPassword(tx, q.account, password); err != nil {
			return err
		}
		salt, hash, err := hashPassword(password)
		if err != nil {
			return err
		}
		lp := &model.LoginProfile{Account: q.account, UserID: e.user.ID, Created: q.Now.UTC(), PasswordResetRequired: reset,
			Salt: salt, Hash: hash, Iterations: pbkdf2Iterations}
		if err := state.PutLoginProfile(tx, lp); err != nil {
			return err
		}
		out = loginProfileXML(e.user, lp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// loadLoginProfile authorizes action on the user and returns the user and
// its login profile, NoSuchEntity when either is missing.
func (q *request) loadLoginProfile(tx store.Tx, name, action string) (*model.User, *model.LoginProfile, error) {
	e, err := q.entityFor(tx, userKind, name, action, nil, false)
	if err != nil {
		return nil, nil, err
	}
	lp, err := state.LoginProfile(tx, q.account, e.user.ID)
	if isNotFound(err) {
		return nil, nil, noLoginProfile(e.user.Name)
	}
	if err != nil {
		return nil, nil, err
	}
	return e.user, lp, nil
}

// getLoginProfile implements GetLoginProfile.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html
func getLoginProfile(q *request) (any, error) {
	p := q.params()
	name := q.loginUser(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, nonUserCredentials()
	}
	var out loginProfileResult
	err := q.view(func(tx store.Tx) error {
		u, lp, err := q.loadLoginProfile(tx, name, "iam:GetLoginProfile")
		if err != nil {
			return err
		}
		out = loginProfileXML(u, lp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateLoginProfile implements UpdateLoginProfile: UserName is required;
// Password and PasswordResetRequired change only when given.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateLoginProfile.html
func updateLoginProfile(q *request) (any, error) {
	p := q.params()
	name := p.name("UserName", model.UserNameRule, true)
	password := p.password("Password", false)
	reset := p.boolean("PasswordResetRequired", false)
	if err := p.err(); err != nil {
		return nil, err
	}
	err := q.update(func(tx store.Tx) error {
		_, lp, err := q.loadLoginProfile(tx, name, "iam:UpdateLoginProfile")
		if err != nil {
			return err
		}
		if q.v.Has("Password") {
			if err := checkPassword(tx, q.account, password); err != nil {
				return err
			}
			if lp.Salt, lp.Hash, err = hashPassword(password); err != nil {
				return err
			}
			lp.Iterations = pbkdf2Iterations
		}
		if q.v.Has("PasswordResetRequired") {
			lp.PasswordResetRequired = reset
		}
		return state.PutLoginProfile(tx, lp)
	})
	return nil, err
}

// deleteLoginProfile implements DeleteLoginProfile.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteLoginProfile.html
func deleteLoginProfile(q *request) (any, error) {
	p := q.params()
	name := q.loginUser(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, nonUserCredentials()
	}
	err := q.update(func(tx store.Tx) error {
		u, _, err := q.loadLoginProfile(tx, name, "iam:DeleteLoginProfile")
		if err != nil {
			return err
		}
		return state.DeleteLoginProfile(tx, q.account, u.ID)
	})
	return nil, err
}
