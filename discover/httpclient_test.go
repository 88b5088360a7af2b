package discover

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFetchRedirectLoopBounded(t *testing.T) {
	w := newTestWeb(t)
	w.handle("https://autoconfig.example.com/loop", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "/loop", http.StatusFound)
	})
	_, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://autoconfig.example.com/loop", nil, "")
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("err = %v, want ErrTooManyRedirects", err)
	}
	if n := w.hits("https://autoconfig.example.com/loop"); n != MaxRedirects+1 {
		t.Errorf("%d requests, want %d", n, MaxRedirects+1)
	}
}

func TestFetchRedirectsFollowed(t *testing.T) {
	w := newTestWeb(t)
	for i := range MaxRedirects {
		next := "/r" + strconv.Itoa(i+1)
		w.handle("https://example.com/r"+strconv.Itoa(i), func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, next, http.StatusMovedPermanently)
		})
	}
	w.serveFile("https://example.com/r"+strconv.Itoa(MaxRedirects), "done")
	body, final, err := fetch(context.Background(), w.client, http.MethodGet, "https://example.com/r0", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "done" || final != "https://example.com/r5" {
		t.Errorf("body %q from %s", body, final)
	}
}

func TestFetchRefusesDowngrade(t *testing.T) {
	w := newTestWeb(t)
	w.handle("https://example.com/cfg", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "http://example.com/cfg", http.StatusFound)
	})
	w.serveFile("http://example.com/cfg", "plain")
	_, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://example.com/cfg", nil, "")
	if !errors.Is(err, ErrDowngrade) {
		t.Fatalf("err = %v, want ErrDowngrade", err)
	}
	if n := w.hits("http://example.com/cfg"); n != 0 {
		t.Errorf("the plain-HTTP URL was fetched %d times", n)
	}
}

func TestFetchUpgradeAllowed(t *testing.T) {
	w := newTestWeb(t)
	w.handle("http://example.com/cfg", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://example.com/cfg", http.StatusFound)
	})
	w.serveFile("https://example.com/cfg", "secure")
	body, final, err := fetch(context.Background(), w.client, http.MethodGet, "http://example.com/cfg", nil, "")
	if err != nil || string(body) != "secure" || final != "https://example.com/cfg" {
		t.Fatalf("body %q from %s, err %v", body, final, err)
	}
}

func TestFetchEndlessBodyRejected(t *testing.T) {
	w := newTestWeb(t)
	const total = 50 << 20
	written := make(chan int, 1)
	w.handle("https://example.com/big", func(rw http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("<a>", 10922) + "\n")
		n := 0
		defer func() { written <- n }()
		for n < total {
			k, err := rw.Write(chunk)
			n += k
			if err != nil {
				return
			}
		}
	})
	_, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://example.com/big", nil, "")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if n := <-written; n >= total {
		t.Errorf("the server wrote all %d bytes: the client kept reading", n)
	}
}

func TestFetchDeclaredLengthRejected(t *testing.T) {
	w := newTestWeb(t)
	w.handle("https://example.com/big", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Length", strconv.Itoa(MaxDocumentSize+1))
		rw.WriteHeader(http.StatusOK)
		rw.Write([]byte("<clientConfig/>")) // the rest never comes
	})
	_, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://example.com/big", nil, "")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestFetchStatusError(t *testing.T) {
	w := newTestWeb(t)
	_, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://example.com/missing", nil, "")
	var st *HTTPStatusError
	if !errors.As(err, &st) || st.Status != 404 || st.URL != "https://example.com/missing" {
		t.Fatalf("err = %#v", err)
	}
}

func TestHTTPClientVerifiesNames(t *testing.T) {
	w := newTestWeb(t)
	w.serveFile("https://wrong.invalid/x", "should not be read")
	_, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://wrong.invalid/x", nil, "")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	// Without the test CA, the system roots do not know the server.
	client := NewHTTPClient(w, nil, 5*time.Second)
	if _, _, err := fetch(context.Background(), client, http.MethodGet, "https://example.com/x", nil, ""); err == nil {
		t.Fatal("an unknown CA was accepted")
	}
}

func TestHTTPClientIgnoresProxyEnv(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	w := newTestWeb(t)
	w.serveFile("https://example.com/x", "direct")
	body, _, err := fetch(context.Background(), w.client, http.MethodGet, "https://example.com/x", nil, "")
	if err != nil || string(body) != "direct" {
		t.Fatalf("body %q err %v", body, err)
	}
	for _, d := range w.dialed {
		if !strings.HasPrefix(d, "example.com:") {
			t.Errorf("dialed %s", d)
		}
	}
}

// hangingDialer never connects: it returns when the dial's context ends,
// and says so.
type hangingDialer struct{ ended chan struct{} }

func (d hangingDialer) DialContext(ctx context.Context, _, address string) (net.Conn, error) {
	<-ctx.Done()
	close(d.ended)
	return nil, ctx.Err()
}

// A dial into a black hole ends with the client's timeout, though the
// Transport goes on dialing after the request gave up.
func TestHTTPClientDialEndsWithTimeout(t *testing.T) {
	d := hangingDialer{ended: make(chan struct{})}
	c := NewHTTPClient(d, nil, 200*time.Millisecond)
	_, err := c.Get("https://192.0.2.1/")
	if err == nil {
		t.Fatal("a request into a black hole succeeded")
	}
	select {
	case <-d.ended:
	case <-time.After(2 * time.Second):
		t.Fatal("the dial outlived the request by two seconds")
	}
}
