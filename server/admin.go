package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/sigv4"
)

// The admin API lives under /_verdict/ on the same listener. Every call is
// SigV4-signed with ordinary AWS credentials (any service name in the scope;
// the CLI uses "verdict"), and a caller sees only the decisions of its own
// account: those its account's principals asked for, and those about its
// account's resources.
//
//	GET /_verdict/api/decisions?request-id=ID   the decisions of one request
//	GET /_verdict/api/decisions?limit=N&denied=1&since=SEQ
//	GET /_verdict/api/follow?denied=1           newline-delimited JSON, live
//	GET /_verdict/api/whoami                    the caller, as the server resolved it

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, reqID, hostID string, now time.Time) {
	if s.serveUI(w, r, reqID, now) { // the decision page: ui.go
		return
	}
	w.Header().Set("x-amz-request-id", reqID)
	sig, err := sigv4.Parse(r)
	if err != nil {
		awserr.WriteS3(w, r, awserr.As(err), reqID, hostID, "")
		return
	}
	if sig == nil {
		awserr.WriteS3(w, r, awserr.AccessDenied().Withf("The verdict admin API requires SigV4-signed requests."), reqID, hostID, "")
		return
	}
	caller, aerr := s.authenticate(sig, r, now)
	if aerr != nil {
		awserr.WriteS3(w, r, aerr, reqID, hostID, "")
		return
	}
	if caller.Principal.Type == authz.Anonymous || caller.Principal.Account == "" {
		awserr.WriteS3(w, r, awserr.AccessDenied(), reqID, hostID, "")
		return
	}
	account := caller.Principal.Account
	visible := func(e *decisionlog.Entry) bool { return e.Account == account || e.ResourceAccount == account }
	q := r.URL.Query()
	switch strings.TrimPrefix(r.URL.Path, "/_verdict/api/") {
	case "decisions":
		var out []decisionlog.Entry
		if id := q.Get("request-id"); id != "" {
			for _, e := range s.env.Log.Find(id) {
				if visible(&e) {
					out = append(out, e)
				}
			}
		} else {
			limit, _ := strconv.Atoi(q.Get("limit"))
			if limit <= 0 || limit > 1000 {
				limit = 100
			}
			since, _ := strconv.ParseUint(q.Get("since"), 10, 64)
			denied := q.Get("denied") == "1" || q.Get("denied") == "true"
			out = s.env.Log.Query(limit, func(e *decisionlog.Entry) bool {
				return visible(e) && e.Seq > since && (!denied || !e.Allowed)
			})
		}
		if out == nil {
			out = []decisionlog.Entry{}
		}
		writeJSON(w, map[string]any{"decisions": out})
	case "follow":
		s.follow(w, r, visible, q.Get("denied") == "1" || q.Get("denied") == "true")
	case "whoami":
		writeJSON(w, whoami(caller))
	default:
		awserr.WriteS3(w, r, awserr.New("NotFound", http.StatusNotFound, "No such admin API endpoint."), reqID, hostID, "")
	}
}

func whoami(c *inputs.Caller) map[string]string {
	return map[string]string{"arn": c.Principal.ARN, "account": c.Principal.Account, "type": c.Principal.Type.String()}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// follow streams new decisions as newline-delimited JSON until the client
// goes away.
func (s *Server) follow(w http.ResponseWriter, r *http.Request, visible func(*decisionlog.Entry) bool, denied bool) {
	ch, stop := s.env.Log.Follow()
	defer stop()
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	if fl != nil {
		fl.Flush()
	}
	enc := json.NewEncoder(w)
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-ch:
			if !visible(&e) || (denied && e.Allowed) {
				continue
			}
			if err := enc.Encode(e); err != nil {
				return
			}
		case <-keepalive.C:
			if _, err := w.Write([]byte("\n")); err != nil {
				return
			}
		}
		if fl != nil {
			fl.Flush()
		}
	}
}
