package discover

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Regression found by the fault matrix of internal/reliability: the HTTP
// client kept idle connections (and their two goroutines each) after a
// discovery had ended.
func TestHTTPClientKeepsNoIdleConnection(t *testing.T) {
	var closed atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<clientConfig/>"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	client := NewHTTPClient(&net.Dialer{}, nil, 5*time.Second)
	if _, _, err := fetch(context.Background(), client, http.MethodGet, srv.URL+"/mail/config-v1.1.xml", nil, ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for closed.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the connection is still open after the fetch")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
