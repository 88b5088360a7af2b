package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"

	"mailsetup/l10n"
	"mailsetup/mailcfg"
)

// classify turns the error that ended a probe into a status and a reason
// a person can act on, in any language (see l10n; the codes are probe.*).
func classify(ctx context.Context, err error, phase Phase, srv mailcfg.Server, o *Options) (mailcfg.Status, l10n.Message) {
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
		return mailcfg.StatusError, l10n.M("probe.config", "detail", cfg.Error())
	case errors.Is(err, context.Canceled) || ctx.Err() == context.Canceled:
		return mailcfg.StatusAbandoned, l10n.M("probe.stopped")
	case errors.As(err, &resolveE) && isTimeout(ctx, err):
		// No address, for want of an answer: a name problem, not a
		// silent server (nor a blocked port 25).
		return mailcfg.StatusUnresolved, timeoutReason(PhaseResolve, srv, o)
	case isTimeout(ctx, err):
		return mailcfg.StatusTimeout, timeoutReason(phase, srv, o)
	case errors.As(err, &resolveE):
		return mailcfg.StatusUnresolved, resolveE.Message()
	case errors.As(err, &proto):
		return mailcfg.StatusProtocolError, proto.Message()
	case errors.As(err, &reply):
		if reply.Command == "STARTTLS" || reply.Command == "STLS" {
			return mailcfg.StatusTLSError, reply.Message()
		}
		return mailcfg.StatusError, reply.Message()
	case errors.Is(err, ErrTooMuchData):
		return mailcfg.StatusProtocolError, l10n.M("probe.too_much_data")
	case errors.As(err, &long):
		return mailcfg.StatusProtocolError, long.Message()
	case errors.As(err, &binary):
		return mailcfg.StatusProtocolError, binary.Message()
	case errors.Is(err, errConnRefused):
		return mailcfg.StatusRefused, l10n.M("probe.refused", "port", strconv.Itoa(srv.Port))
	case errors.As(err, &tlsE):
		return mailcfg.StatusTLSError, tlsReason(tlsE.err)
	case phase == PhaseStartTLS && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errConnReset)):
		// The server offered the upgrade and dropped us when asked for it.
		return mailcfg.StatusTLSError, l10n.M("probe.starttls_dropped")
	}
	return mailcfg.StatusError, networkReason(err, phase)
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

func timeoutReason(phase Phase, srv mailcfg.Server, o *Options) l10n.Message {
	limit := o.timeout(DefaultTimeout).String()
	if phase == PhaseResolve {
		// The resolver's own budget may end before the probe's: no limit
		// is named, and port 25 is not to blame for a name.
		return l10n.M("probe.dns_timeout", "host", srv.Host)
	}
	if srv.Protocol == mailcfg.SMTP && srv.Port == 25 {
		if phase == PhaseConnect {
			return l10n.M("probe.port25_blocked")
		}
		return l10n.M("probe.port25_silent")
	}
	switch phase {
	case PhaseConnect:
		return l10n.M("probe.connect_timeout", "port", strconv.Itoa(srv.Port), "limit", limit)
	case PhaseTLS:
		return l10n.M("probe.tls_timeout", "limit", limit)
	case PhaseGreeting:
		return l10n.M("probe.greeting_timeout", "limit", limit)
	}
	return l10n.M("probe.stalled", "limit", limit).With("phase", phase.Message())
}

func tlsReason(err error) l10n.Message {
	var header tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &header):
		return l10n.M("probe.tls_not_tls", "sent", printable(string(header.RecordHeader[:])))
	case strings.Contains(err.Error(), "unsupported protocol version"), strings.Contains(err.Error(), "protocol version not supported"):
		return l10n.M("probe.tls_old", "detail", err.Error())
	case errors.As(err, &alert), strings.Contains(err.Error(), "remote error"):
		return l10n.M("probe.tls_rejected", "detail", err.Error())
	case errors.Is(err, io.EOF), errors.Is(err, errConnReset):
		return l10n.M("probe.tls_closed")
	}
	return l10n.M("probe.tls_failed", "detail", err.Error())
}

func networkReason(err error, phase Phase) l10n.Message {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if phase == PhaseGreeting {
			return l10n.M("probe.closed_before_greeting")
		}
		return l10n.M("probe.closed").With("phase", phase.Message())
	case errors.Is(err, errConnReset):
		return l10n.M("probe.reset").With("phase", phase.Message())
	case errors.Is(err, errHostUnreach):
		return l10n.M("probe.no_route")
	case errors.Is(err, errNetUnreach):
		return l10n.M("probe.net_unreachable")
	}
	return l10n.M("probe.network", "detail", err.Error())
}

// Message names the phase, in any language.
func (p Phase) Message() l10n.Message { return l10n.M("phase." + string(p)) }
