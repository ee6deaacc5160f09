package stripemock

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"sync"
)

// Request is one request that reached the proxy, on its way to stripe-mock (or answered
// by a Fault in its place).
type Request struct {
	Method         string
	Path           string // such as /v1/payment_intents
	IdempotencyKey string // the Idempotency-Key header
	StripeVersion  string // the Stripe-Version header
	Form           url.Values
}

// Op is "METHOD /path", the way tests name an operation.
func (r Request) Op() string { return r.Method + " " + r.Path }

// Fault changes what the next matching request gets, instead of stripe-mock's answer.
type Fault struct {
	Method, Path string // which requests it applies to; empty matches any
	Times        int    // how many requests it applies to (0 means 1)

	Status int    // answer with this status and Body instead of forwarding
	Body   string // a Stripe error body, such as a 402 card_error
	Drop   bool   // close the connection without answering: Stripe unreachable
	// Rewrite forwards the request, then replaces stripe-mock's body with what it returns.
	Rewrite func(body []byte) []byte
}

// Requests returns every request that reached the proxy so far, oldest first.
func (s *Server) Requests() []Request { return s.proxy.recorded() }

// Inject makes the proxy answer the next matching requests with f.
func (s *Server) Inject(f Fault) { s.proxy.inject(f) }

// ClearFaults forgets every injected fault not yet used up.
func (s *Server) ClearFaults() {
	s.proxy.mu.Lock()
	defer s.proxy.mu.Unlock()
	s.proxy.faults = nil
}

type proxy struct {
	upstream *httputil.ReverseProxy
	mu       sync.Mutex
	requests []Request
	faults   []Fault
}

func (p *proxy) recorded() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

func (p *proxy) inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, f)
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	if r.Method == http.MethodGet || r.Method == http.MethodDelete {
		form = r.URL.Query()
	}
	f, faulty := p.record(Request{Method: r.Method, Path: r.URL.Path, IdempotencyKey: r.Header.Get("Idempotency-Key"),
		StripeVersion: r.Header.Get("Stripe-Version"), Form: form})
	switch {
	case !faulty:
		p.upstream.ServeHTTP(w, r)
	case f.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	case f.Rewrite != nil:
		rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		p.upstream.ServeHTTP(rec, r)
		out := f.Rewrite(rec.body.Bytes())
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(rec.status)
		_, _ = w.Write(out)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", "req_stripemock_fault")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
	}
}

// record keeps the request and takes the first fault matching it, if any.
func (p *proxy) record(req Request) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = append(p.requests, req)
	for i, f := range p.faults {
		if (f.Method == "" || f.Method == req.Method) && (f.Path == "" || f.Path == req.Path) {
			if p.faults[i].Times--; p.faults[i].Times == 0 {
				p.faults = slices.Delete(p.faults, i, i+1)
			}
			return f, true
		}
	}
	return Fault{}, false
}

// bufferedResponse keeps stripe-mock's answer so a Fault can rewrite it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
