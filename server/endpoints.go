package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// Endpoints runs one local listener per VPC endpoint. A request arriving on
// an endpoint's listener is a request through that endpoint: its policy is
// evaluated, aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp are set and
// aws:SourceIp is not.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
type Endpoints struct {
	srv *Server
	mu  sync.Mutex
	ls  map[string]*epListener
	// pinned are listener addresses chosen on the command line
	// (--endpoint-listener), used when the endpoint is started.
	pinned map[string]string
	next   int
}

type epListener struct {
	addr string
	hs   *http.Server
}

type endpointKey struct{}

// managers holds each Server's Endpoints, so that Server needs no field.
var managers sync.Map // *Server -> *Endpoints

// Endpoints returns the server's VPC endpoint listener manager.
func (s *Server) Endpoints() *Endpoints {
	m, _ := managers.LoadOrStore(s, &Endpoints{srv: s, ls: map[string]*epListener{}, pinned: map[string]string{}})
	return m.(*Endpoints)
}

// Pin fixes the listener address of an endpoint (the serve flag
// --endpoint-listener vpce-ID=127.0.0.2:4567). addr must be a loopback
// address.
func (m *Endpoints) Pin(id, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("endpoint listener %q: %w", addr, err)
	}
	if !service.IsLoopback(host) {
		return fmt.Errorf("endpoint listener %q: only loopback addresses are allowed", addr)
	}
	m.mu.Lock()
	m.pinned[id] = addr
	m.mu.Unlock()
	return nil
}

// Start opens the listener of endpoint id on addr ("" picks a free loopback
// address: 127.0.0.2, 127.0.0.3, ... where the system allows, else
// 127.0.0.1) and returns the address it listens on. Starting an endpoint
// that is already listening returns its address.
func (m *Endpoints) Start(id, addr string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.ls[id]; ok {
		return l.addr, nil
	}
	if p, ok := m.pinned[id]; ok {
		addr = p
	}
	var ln net.Listener
	var err error
	if addr != "" {
		host, _, serr := net.SplitHostPort(addr)
		if serr != nil || !service.IsLoopback(host) {
			return "", fmt.Errorf("endpoint listener %q: not a loopback host:port", addr)
		}
		ln, err = net.Listen("tcp", addr)
		if err != nil {
			// The stored address may be taken after a restart; pick another.
			ln, err = m.listenAny()
		}
	} else {
		ln, err = m.listenAny()
	}
	if err != nil {
		return "", err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.srv.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), endpointKey{}, id)))
	})
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	l := &epListener{addr: ln.Addr().String(), hs: hs}
	m.ls[id] = l
	go func() { _ = hs.Serve(ln) }()
	return l.addr, nil
}

func (m *Endpoints) listenAny() (net.Listener, error) {
	for range 8 {
		m.next++
		host := fmt.Sprintf("127.0.0.%d", 2+m.next%250)
		if ln, err := net.Listen("tcp", host+":0"); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// Addr returns the listener address of endpoint id, "" when not listening.
func (m *Endpoints) Addr(id string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.ls[id]; ok {
		return l.addr
	}
	return ""
}

// Stop closes the listener of endpoint id, if any.
func (m *Endpoints) Stop(id string) {
	m.mu.Lock()
	l, ok := m.ls[id]
	delete(m.ls, id)
	m.mu.Unlock()
	if ok {
		_ = l.hs.Close()
	}
}

// Close stops every listener.
func (m *Endpoints) Close() {
	m.mu.Lock()
	ls := m.ls
	m.ls = map[string]*epListener{}
	m.mu.Unlock()
	for _, l := range ls {
		_ = l.hs.Close()
	}
	managers.Delete(m.srv)
}

// Restore starts the listeners of every stored endpoint, at their stored
// addresses where possible, and records the addresses actually used.
func (m *Endpoints) Restore(ctx context.Context) error {
	st := m.srv.env.Store
	return st.Update(ctx, func(tx store.Tx) error {
		eps, err := state.AllVPCEndpoints(tx)
		if err != nil {
			return err
		}
		for _, e := range eps {
			addr, err := m.Start(e.ID, e.Listener)
			if err != nil {
				return err
			}
			if addr != e.Listener {
				e.Listener = addr
				if err := state.PutVPCEndpoint(tx, e); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// bindEndpoint prepares a call before its service sees it: a request that
// came through an endpoint's listener gets the endpoint's policy, and an
// anonymous caller gets the organizations (which RCPs need). It writes the
// error and returns false when the call cannot proceed.
func (s *Server) bindEndpoint(w http.ResponseWriter, call *service.Call, svc string) bool {
	id, _ := call.HTTP.Context().Value(endpointKey{}).(string)
	anonymous := call.Caller != nil && call.Caller.Principal.Type == authz.Anonymous
	if id == "" && !anonymous {
		return true
	}
	err := s.env.Store.View(call.HTTP.Context(), func(tx store.Tx) error {
		if anonymous {
			orgs, err := s.env.Compiler.Orgs(tx)
			if err != nil {
				return err
			}
			c := *call.Caller
			c.Orgs = orgs
			call.Caller = &c
		}
		if id == "" {
			return nil
		}
		e, err := state.VPCEndpoint(tx, id)
		if err != nil {
			return err
		}
		p, err := s.env.Compiler.Compile(e.Policy)
		if err != nil {
			return err
		}
		call.Endpoint = &authz.PolicyRef{Name: "VPC endpoint policy of " + id, Policy: p}
		call.EndpointID, call.EndpointVPC = id, e.VPCID
		return nil
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			// The endpoint was deleted while its listener was closing.
			writeError(w, call.HTTP, svc, awserr.New("AccessDenied", http.StatusForbidden, "The VPC endpoint "+id+" does not exist."), call.RequestID, call.HostID)
			return false
		}
		s.Logger.Error("binding VPC endpoint", "err", err)
		writeError(w, call.HTTP, svc, awserr.InternalError(), call.RequestID, call.HostID)
		return false
	}
	return true
}
