package assistant

import (
	"errors"

	"mailsetup/dnsx"
)

// dnsKind names a resolver failure for the hint catalogue.
func dnsKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, dnsx.ErrNXDomain):
		return "nxdomain"
	case errors.Is(err, dnsx.ErrServFail):
		return "servfail"
	case errors.Is(err, dnsx.ErrRefused):
		return "refused"
	case errors.Is(err, dnsx.ErrTimeout):
		return "timeout"
	}
	return ""
}
