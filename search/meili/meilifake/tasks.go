package meilifake

import (
	"net/http"
	"time"
)

// task is an asynchronous operation, as Meilisearch reports it.
type task struct {
	UID        int64      `json:"uid"`
	IndexUID   string     `json:"indexUid"`
	Status     string     `json:"status"` // enqueued, processing, succeeded, failed
	Type       string     `json:"type"`
	Error      *apiError  `json:"error"`
	Details    any        `json:"details,omitempty"`
	EnqueuedAt time.Time  `json:"enqueuedAt"`
	StartedAt  *time.Time `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt"`

	apply func(*index) *apiError
}

// enqueue records a task that apply will carry out on the index uid (made on
// demand, as Meilisearch creates an index when documents or settings arrive
// for it) and answers 202 with the task summary.
func (s *Server) enqueue(w http.ResponseWriter, uid, typ string, apply func(*index) *apiError) *apiError {
	s.mu.Lock()
	t := &task{UID: int64(len(s.tasks)), IndexUID: uid, Status: "enqueued", Type: typ, EnqueuedAt: time.Now().UTC(), apply: apply}
	s.tasks = append(s.tasks, t)
	s.mu.Unlock()
	s.queue <- t
	writeJSON(w, http.StatusAccepted, map[string]any{
		"taskUid": t.UID, "indexUid": uid, "status": "enqueued", "type": typ, "enqueuedAt": t.EnqueuedAt,
	})
	return nil
}

// work processes tasks one at a time, in order, as Meilisearch does.
func (s *Server) work() {
	for {
		select {
		case <-s.done:
			return
		case t := <-s.queue:
			time.Sleep(s.TaskDelay)
			s.mu.Lock()
			now := time.Now().UTC()
			t.Status, t.StartedAt = "processing", &now
			ix := s.indexes[t.IndexUID]
			var err *apiError
			switch {
			case t.Type == "indexDeletion":
				if ix == nil || !ix.exists {
					err = notFound(t.IndexUID)
				} else {
					delete(s.indexes, t.IndexUID)
				}
			default:
				if ix == nil {
					ix = newIndex()
					s.indexes[t.IndexUID] = ix
				}
				created := !ix.exists
				if t.Type != "indexCreation" {
					ix.exists = true
				}
				if t.apply != nil {
					err = t.apply(ix)
				}
				if err != nil && created && t.Type != "indexCreation" {
					ix.exists = false
				}
				ix.updatedAt = now
			}
			done := time.Now().UTC()
			t.FinishedAt, t.Status = &done, "succeeded"
			if err != nil {
				t.Status, t.Error = "failed", err
			}
			s.mu.Unlock()
		}
	}
}

func (s *Server) getTask(w http.ResponseWriter, id string) *apiError {
	n, ok := parseInt(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok || n < 0 || n >= int64(len(s.tasks)) {
		return newError(http.StatusNotFound, "task_not_found", "invalid_request", "Task `%s` not found.", id)
	}
	writeJSON(w, 200, s.tasks[n])
	return nil
}
