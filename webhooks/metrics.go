package webhooks

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// The results of a delivery attempt, the label of deliveries_total.
const (
	resultOK     = "ok"     // 2xx: the cursor moved
	resultStatus = "status" // another HTTP status
	resultError  = "error"  // no answer: timeout, connection refused, DNS, ...
)

// metrics are the webhooks' Prometheus metrics, labelled by webhook name.
type metrics struct {
	deliveries *prometheus.CounterVec // webhook, result
	failing    *prometheus.GaugeVec   // webhook: consecutive failed attempts at the event at the head
	cursor     *prometheus.GaugeVec   // webhook: feed number of the last event done
	duration   *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportd_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by webhook and result (ok: 2xx; status: another HTTP status; error: no answer).",
		}, []string{"webhook", "result"}),
		failing: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "supportd_webhook_consecutive_failures",
			Help: "Failed attempts in a row at the event a webhook is stuck on (0: delivering).",
		}, []string{"webhook"}),
		cursor: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "supportd_webhook_cursor",
			Help: "Feed number of the last event a webhook acknowledged or skipped.",
		}, []string{"webhook"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "supportd_webhook_delivery_seconds",
			Help:    "Duration of webhook delivery attempts.",
			Buckets: prometheus.ExponentialBuckets(0.005, 4, 7),
		}, []string{"webhook"}),
	}
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.deliveries, m.failing, m.cursor, m.duration} {
		errs = append(errs, reg.Register(c))
	}
	return m, errors.Join(errs...)
}
