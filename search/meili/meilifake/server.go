// Package meilifake is an in-process Meilisearch for tests: an HTTP server
// (httptest) that follows the subset of Meilisearch's documented API that the
// meili adapter uses — index creation, settings (synonyms, stop words,
// filterable and sortable attributes, typo tolerance, ranking rules),
// document additions and deletions as asynchronous tasks that clients poll,
// search with the filter grammar, facet distribution, _geoRadius and
// _geoPoint sort, highlighting and cropping, and error bodies with message,
// code, type and link.
//
// Text matching and ranking follow Meilisearch's documented rules through
// search/internal/relevance (typo thresholds from minWordSizeForTypos,
// prefix on the last word, synonyms, matchingStrategy all or last). Not
// modelled: word splitting and concatenation, camelCase segmentation,
// non-Latin scripts, vector search, tenant tokens.
package meilifake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a fake Meilisearch server.
type Server struct {
	srv    *httptest.Server
	apiKey string
	// TaskDelay is how long a task stays enqueued before it is processed,
	// so that clients really poll.
	TaskDelay time.Duration

	mu      sync.Mutex
	indexes map[string]*index
	tasks   []*task
	queue   chan *task
	done    chan struct{}
}

// New starts a fake server; with apiKey set, every request must carry it as
// a bearer token. Close it when done.
func New(apiKey string) *Server {
	s := &Server{apiKey: apiKey, TaskDelay: 2 * time.Millisecond, indexes: map[string]*index{},
		queue: make(chan *task, 1024), done: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	go s.work()
	return s
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server.
func (s *Server) Close() {
	s.srv.Close()
	close(s.done)
}

// apiError is Meilisearch's error body.
type apiError struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	Type    string `json:"type"`
	Link    string `json:"link"`
	status  int
}

func (e *apiError) Error() string { return e.Message }

func newError(status int, code, typ, format string, args ...any) *apiError {
	return &apiError{Message: fmt.Sprintf(format, args...), Code: code, Type: typ,
		Link: "https://docs.meilisearch.com/errors#" + code, status: status}
}

func invalid(code, format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, code, "invalid_request", format, args...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.apiKey != "" {
		auth := r.Header.Get("Authorization")
		if auth == "" {
			writeErr(w, newError(http.StatusUnauthorized, "missing_authorization_header", "auth",
				"The Authorization header is missing. It must use the bearer authorization method."))
			return
		}
		if auth != "Bearer "+s.apiKey {
			writeErr(w, newError(http.StatusForbidden, "invalid_api_key", "auth", "The provided API key is invalid."))
			return
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	route := r.Method + " " + pattern(parts)
	var err *apiError
	switch route {
	case "GET health":
		writeJSON(w, 200, map[string]string{"status": "available"})
	case "GET version":
		writeJSON(w, 200, map[string]string{"pkgVersion": "1.12.0-fake"})
	case "POST indexes":
		err = s.createIndex(w, r)
	case "GET indexes/:uid":
		err = s.getIndex(w, parts[1])
	case "DELETE indexes/:uid":
		err = s.enqueue(w, parts[1], "indexDeletion", nil)
	case "GET indexes/:uid/settings":
		err = s.getSettings(w, parts[1])
	case "PATCH indexes/:uid/settings":
		err = s.updateSettings(w, r, parts[1])
	case "POST indexes/:uid/documents", "PUT indexes/:uid/documents":
		err = s.addDocuments(w, r, parts[1])
	case "POST indexes/:uid/documents/delete-batch":
		err = s.deleteDocuments(w, r, parts[1])
	case "DELETE indexes/:uid/documents":
		err = s.enqueue(w, parts[1], "documentDeletion", func(ix *index) *apiError { ix.clear(); return nil })
	case "POST indexes/:uid/documents/fetch":
		err = s.fetchDocuments(w, r, parts[1])
	case "GET indexes/:uid/stats":
		err = s.stats(w, parts[1])
	case "POST indexes/:uid/search":
		err = s.search(w, r, parts[1])
	case "GET tasks/:uid":
		err = s.getTask(w, parts[1])
	default:
		err = newError(http.StatusNotFound, "not_found", "invalid_request", "Route %s %s not found (fake)", r.Method, r.URL.Path)
	}
	if err != nil {
		writeErr(w, err)
	}
}

func writeErr(w http.ResponseWriter, e *apiError) { writeJSON(w, e.status, e) }

// pattern replaces path segments that are names by ":uid".
func pattern(parts []string) string {
	p := make([]string, len(parts))
	copy(p, parts)
	if len(p) > 1 && (p[0] == "indexes" || p[0] == "tasks") {
		p[1] = ":uid"
	}
	return strings.Join(p, "/")
}

// decode reads a JSON body strictly, as Meilisearch does: an unknown field is
// an error.
func decode(r *http.Request, v any, code string) *apiError {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return invalid(code, "Invalid request body: %v", err)
	}
	return nil
}

func validUID(uid string) bool {
	if uid == "" || len(uid) > 400 {
		return false
	}
	for _, c := range uid {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Server) createIndex(w http.ResponseWriter, r *http.Request) *apiError {
	var body struct {
		UID        string `json:"uid"`
		PrimaryKey string `json:"primaryKey"`
	}
	if err := decode(r, &body, "bad_request"); err != nil {
		return err
	}
	if !validUID(body.UID) {
		return invalid("invalid_index_uid", "`%s` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_).", body.UID)
	}
	return s.enqueue(w, body.UID, "indexCreation", func(ix *index) *apiError {
		if ix.exists {
			return newError(http.StatusConflict, "index_already_exists", "invalid_request", "Index `%s` already exists.", body.UID)
		}
		ix.exists, ix.primaryKey = true, body.PrimaryKey
		return nil
	})
}

func (s *Server) getIndex(w http.ResponseWriter, uid string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix := s.indexes[uid]
	if ix == nil || !ix.exists {
		return notFound(uid)
	}
	writeJSON(w, 200, map[string]any{"uid": uid, "primaryKey": ix.primaryKey, "createdAt": ix.createdAt, "updatedAt": ix.updatedAt})
	return nil
}

func notFound(uid string) *apiError {
	return newError(http.StatusNotFound, "index_not_found", "invalid_request", "Index `%s` not found.", uid)
}

// existing returns an index that exists; the caller holds s.mu.
func (s *Server) existing(uid string) (*index, *apiError) {
	ix := s.indexes[uid]
	if ix == nil || !ix.exists {
		return nil, notFound(uid)
	}
	return ix, nil
}

func (s *Server) stats(w http.ResponseWriter, uid string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.existing(uid)
	if err != nil {
		return err
	}
	writeJSON(w, 200, map[string]any{"numberOfDocuments": len(ix.order), "isIndexing": false, "fieldDistribution": map[string]int{}})
	return nil
}

func parseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
