package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"mailsetup/mailcfg"
)

// classify turns the error that ended a probe into a status and a reason
// a person can act on.
func classify(ctx context.Context, err error, phase Phase, srv mailcfg.Server, o *Options) (mailcfg.Status, string) {
	var (
		proto    *ProtocolError
		reply    *ReplyError
		resolveE *resolveError
		tlsE     *tlsError
		cfg      *configError
		long     *lineTooLongError
		binary   *notTextError
	)
	switch {
	case errors.As(err, &cfg):
		return mailcfg.StatusError, cfg.Error()
	case errors.Is(err, context.Canceled) || ctx.Err() == context.Canceled:
		return mailcfg.StatusAbandoned, "stopped before it finished"
	case errors.As(err, &resolveE) && isTimeout(ctx, err):
		// No address, for want of an answer: a name problem, not a
		// silent server (nor a blocked port 25).
		return mailcfg.StatusUnresolved, timeoutWords(PhaseResolve, srv, o)
	case isTimeout(ctx, err):
		return mailcfg.StatusTimeout, timeoutWords(phase, srv, o)
	case errors.As(err, &resolveE):
		return mailcfg.StatusUnresolved, resolveE.Error()
	case errors.As(err, &proto):
		return mailcfg.StatusProtocolError, proto.Error()
	case errors.As(err, &reply):
		if reply.Command == "STARTTLS" || reply.Command == "STLS" {
			return mailcfg.StatusTLSError, reply.Error()
		}
		return mailcfg.StatusError, reply.Error()
	case errors.Is(err, ErrTooMuchData):
		return mailcfg.StatusProtocolError, err.Error()
	case errors.As(err, &long), errors.As(err, &binary):
		return mailcfg.StatusProtocolError, err.Error()
	case errors.Is(err, errConnRefused):
		return mailcfg.StatusRefused, fmt.Sprintf("connection refused: nothing listens on port %d", srv.Port)
	case errors.As(err, &tlsE):
		return mailcfg.StatusTLSError, tlsWords(tlsE.err)
	case phase == PhaseStartTLS && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errConnReset)):
		// The server offered the upgrade and dropped us when asked for it.
		return mailcfg.StatusTLSError, "the server closed the connection when asked to start TLS"
	}
	return mailcfg.StatusError, networkWords(err, phase)
}

func isTimeout(ctx context.Context, err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// The context closed the connection under a read.
	return ctx.Err() == context.DeadlineExceeded && (isClosedConn(err) || errors.Is(err, io.EOF))
}

func timeoutWords(phase Phase, srv mailcfg.Server, o *Options) string {
	limit := o.timeout(DefaultTimeout)
	if phase == PhaseResolve {
		// The resolver's own budget may end before the probe's: no limit
		// is named, and port 25 is not to blame for a name.
		return fmt.Sprintf("the DNS lookup of %s got no answer in time", srv.Host)
	}
	if srv.Protocol == mailcfg.SMTP && srv.Port == 25 {
		if phase == PhaseConnect {
			return "no answer on port 25 — probably blocked by your network or ISP"
		}
		return "connected, but no answer on port 25 — probably blocked by your network or ISP"
	}
	switch phase {
	case PhaseConnect:
		return fmt.Sprintf("no answer on port %d within %v — a firewall probably drops the connection", srv.Port, limit)
	case PhaseTLS:
		return fmt.Sprintf("connected, but the TLS handshake did not finish within %v", limit)
	case PhaseGreeting:
		return fmt.Sprintf("connected, but the server sent no greeting within %v", limit)
	}
	return fmt.Sprintf("the server stopped answering during %s (limit %v)", phase, limit)
}

func tlsWords(err error) string {
	var header tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &header):
		return fmt.Sprintf("the server did not answer with TLS (it sent %q): the port probably expects a plain connection or STARTTLS",
			printable(string(header.RecordHeader[:])))
	case strings.Contains(err.Error(), "unsupported protocol version"), strings.Contains(err.Error(), "protocol version not supported"):
		return "the server offers only an outdated TLS version: " + err.Error()
	case errors.As(err, &alert), strings.Contains(err.Error(), "remote error"):
		return "the server rejected the TLS handshake: " + err.Error()
	case errors.Is(err, io.EOF), errors.Is(err, errConnReset):
		return "the server closed the connection during the TLS handshake"
	}
	return "TLS handshake failed: " + err.Error()
}

func networkWords(err error, phase Phase) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if phase == PhaseGreeting {
			return "the server closed the connection without a greeting"
		}
		return fmt.Sprintf("the server closed the connection (during %s)", phase)
	case errors.Is(err, errConnReset):
		return fmt.Sprintf("the server reset the connection (during %s)", phase)
	case errors.Is(err, errHostUnreach):
		return "no route to the host"
	case errors.Is(err, errNetUnreach):
		return "the network is unreachable (no route; for IPv6, is IPv6 available here?)"
	}
	return err.Error()
}
