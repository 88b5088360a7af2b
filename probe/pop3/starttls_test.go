package pop3

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestStartTLS(t *testing.T) {
	c := connect(t, nil,
		"S: +OK ready", "C: CAPA", "S: +OK", "S: STLS", "S: SASL", "S: .",
		"C: STLS", "S: +OK Begin TLS negotiation", "TLS",
		"C: CAPA", "S: +OK", "S: USER", "S: SASL PLAIN", "S: .",
		"C: QUIT", "S: +OK bye")
	ctx := testCtx(t)
	before, err := c.Capa(ctx)
	if err != nil || !HasCapability(before, "STLS") {
		t.Fatalf("Capa before TLS = %q, %v", before, err)
	}
	if err := c.StartTLS(ctx, clientTLSConfig(t)); err != nil {
		t.Fatalf("StartTLS: %v", err)
	}
	st, ok := c.ConnectionState()
	if !ok || !st.HandshakeComplete || st.ServerName != testServerName {
		t.Fatalf("ConnectionState = %+v, %v", st, ok)
	}
	if _, isTLS := c.Conn().(*tls.Conn); !isTLS {
		t.Errorf("Conn() is %T after StartTLS", c.Conn())
	}
	after, err := c.Capa(ctx)
	if err != nil {
		t.Fatalf("Capa after TLS: %v", err)
	}
	if want := []string{"USER", "SASL PLAIN"}; !reflect.DeepEqual(after, want) {
		t.Errorf("Capa after TLS = %q, want %q", after, want)
	}
	if err := c.StartTLS(ctx, clientTLSConfig(t)); err == nil {
		t.Error("second StartTLS succeeded")
	}
	if err := c.Quit(ctx); err != nil {
		t.Errorf("Quit: %v", err)
	}
}

func TestStartTLSFailures(t *testing.T) {
	tests := []struct {
		name   string
		script []any
		config func(*testing.T) *tls.Config
		check  func(*testing.T, error)
		usable bool // plain session still works afterwards
	}{
		{
			name:   "refused",
			script: []any{"C: STLS", "S: -ERR [SYS/PERM] TLS not available", "C: STAT", "S: +OK 0 0"},
			check: func(t *testing.T, err error) {
				var rerr *Error
				if !errors.As(err, &rerr) || rerr.Command != "STLS" || rerr.Code != "SYS/PERM" {
					t.Errorf("err = %v, want *Error [SYS/PERM]", err)
				}
			},
			usable: true,
		},
		{
			name:   "injected plaintext after +OK",
			script: []any{"C: STLS", "RAW:+OK go ahead\r\n+OK injected\r\n"},
			check: func(t *testing.T, err error) {
				var perr *ProtocolError
				if !errors.As(err, &perr) || !strings.Contains(perr.Reason, "after the STLS reply") {
					t.Errorf("err = %v, want *ProtocolError about injection", err)
				}
			},
		},
		{
			name:   "unknown authority",
			script: []any{"C: STLS", "S: +OK", "TLS?"},
			config: func(*testing.T) *tls.Config { return &tls.Config{ServerName: testServerName} },
			check: func(t *testing.T, err error) {
				var unknown x509.UnknownAuthorityError
				if !errors.As(err, &unknown) {
					t.Errorf("err = %v, want x509.UnknownAuthorityError in the chain", err)
				}
			},
		},
		{
			name:   "wrong name",
			script: []any{"C: STLS", "S: +OK", "TLS?"},
			config: func(t *testing.T) *tls.Config {
				cfg := clientTLSConfig(t)
				cfg.ServerName = "other.example.test"
				return cfg
			},
			check: func(t *testing.T, err error) {
				var host x509.HostnameError
				if !errors.As(err, &host) {
					t.Errorf("err = %v, want x509.HostnameError in the chain", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := connect(t, nil, append([]any{"S: +OK"}, tt.script...)...)
			cfg := clientTLSConfig(t)
			if tt.config != nil {
				cfg = tt.config(t)
			}
			tt.check(t, c.StartTLS(testCtx(t), cfg))
			_, _, err := c.Stat(testCtx(t))
			if tt.usable != (err == nil) {
				t.Errorf("STAT after failed STLS: %v (want usable %v)", err, tt.usable)
			}
		})
	}
	t.Run("nil config", func(t *testing.T) {
		c := connect(t, nil, "S: +OK")
		if err := c.StartTLS(testCtx(t), nil); err == nil {
			t.Error("StartTLS(nil) succeeded")
		}
	})
}
