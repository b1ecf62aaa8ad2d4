package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The scripts are copies of the golden transcripts' customer lines: if a
// transcript changes, the benchmark must follow.
func TestScriptsMatchTranscripts(t *testing.T) {
	for _, sc := range []script{repairScript, exchangeScript} {
		t.Run(sc.source, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "..", "dialog", "testdata", "transcripts", sc.source))
			if err != nil {
				t.Fatal(err)
			}
			var inputs []string
			for line := range strings.Lines(string(b)) {
				if rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "> "); ok {
					inputs = append(inputs, rest)
				}
			}
			if !slices.Equal(inputs, sc.inputs) {
				t.Errorf("the transcript's customer lines are\n%q\nthe script has\n%q", inputs, sc.inputs)
			}
		})
	}
}

// The harness's client against the real channel on the in-memory store:
// every dialog completes, makes its ticket, and each turn's answer is
// recognised.
func TestClosedLoopAgainstGateway(t *testing.T) {
	for _, tc := range []struct {
		name string
		sc   script
	}{{"repair", repairScript}, {"exchange", exchangeScript}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			mux := http.NewServeMux()
			wait, err := gateway(ctx, modeMemory, t.TempDir(), mux)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(mux)
			t.Cleanup(func() {
				srv.Close()
				cancel()
				if err := wait(); err != nil {
					t.Errorf("gateway: %v", err)
				}
			})
			tg := &target{mode: modeMemory, url: "ws" + strings.TrimPrefix(srv.URL, "http") + wsPath}
			res, err := closedLoop(ctx, nil, tg, tc.sc, 2, 0, 500*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if err := res.err(tg); err != nil {
				t.Fatal(err)
			}
			if res.AllDialogs == 0 || res.Turns < int64(len(tc.sc.inputs)) {
				t.Fatalf("%d dialogs and %d turns in the window, want at least one whole dialog", res.AllDialogs, res.Turns)
			}
			if res.Tickets < res.AllDialogs {
				t.Errorf("%d dialogs made %d tickets", res.AllDialogs, res.Tickets)
			}
		})
	}
}

func TestBenchAddrIsInTheBenchmarkingRange(t *testing.T) {
	for _, tc := range []struct {
		i    int
		want string
	}{{0, "198.18.0.0"}, {257, "198.18.1.1"}, {65536, "198.19.0.0"}, {131071, "198.19.255.255"}} {
		if got := benchAddr(tc.i); got != tc.want {
			t.Errorf("benchAddr(%d) = %s, want %s", tc.i, got, tc.want)
		}
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr bool
		servers []string
	}{
		{"defaults", nil, false, []string{modeEcho, modeMemory, modeSQLite}},
		{"one gateway", []string{"-servers", "gateway-sqlite"}, false, []string{modeEcho, modeSQLite}},
		{"unknown server", []string{"-servers", "nginx"}, true, nil},
		{"no repetitions", []string{"-reps", "0"}, true, nil},
		{"stray argument", []string{"now"}, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, &strings.Builder{})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && !slices.Equal(o.servers, tc.servers) {
				t.Errorf("servers = %v, want %v", o.servers, tc.servers)
			}
		})
	}
}
