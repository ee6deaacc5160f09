package main

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/carepool/carepool/infra/store"
)

func metricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// storeCollector reports the number of documents in each collection, so an operator sees
// the embedded store's capacity envelope coming (see the README).
type storeCollector struct {
	db   *store.DB
	desc *prometheus.Desc
}

func newStoreCollector(db *store.DB) *storeCollector {
	return &storeCollector{db: db, desc: prometheus.NewDesc("carepool_store_documents",
		"Documents in each store collection.", []string{"collection"}, nil)}
}

func (s *storeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- s.desc }

func (s *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := s.db.Counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(s.desc, err)
		return
	}
	for name, n := range counts {
		ch <- prometheus.MustNewConstMetric(s.desc, prometheus.GaugeValue, float64(n), name)
	}
}
