package webchat

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the channel's Prometheus metrics.
type metrics struct {
	conns       prometheus.Gauge
	framesIn    prometheus.Counter
	framesOut   prometheus.Counter
	writes      prometheus.Counter // write system calls: below framesOut when frames are coalesced
	slowDropped prometheus.Counter
	rateLimited *prometheus.CounterVec // scope: connection, address, upload
	refused     *prometheus.CounterVec // reason: origin, address_limit, shutdown
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		conns: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "supportd_webchat_connections", Help: "Open web chat sockets.",
		}),
		framesIn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "supportd_webchat_frames_received_total", Help: "Frames received from web chat clients.",
		}),
		framesOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "supportd_webchat_frames_sent_total", Help: "Frames written to web chat clients.",
		}),
		writes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "supportd_webchat_socket_writes_total", Help: "Writes to web chat sockets (system calls); several frames queued together go out in one.",
		}),
		slowDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "supportd_webchat_slow_consumers_dropped_total", Help: "Sockets closed because their send queue overflowed.",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportd_webchat_rate_limited_total", Help: "Frames and uploads refused by a rate limit, by scope.",
		}, []string{"scope"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportd_webchat_connections_refused_total", Help: "Socket upgrades refused or closed at once, by reason.",
		}, []string{"reason"}),
	}
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, col := range []prometheus.Collector{m.conns, m.framesIn, m.framesOut, m.writes, m.slowDropped, m.rateLimited, m.refused} {
		errs = append(errs, reg.Register(col))
	}
	return m, errors.Join(errs...)
}
