package export

import (
	"errors"
	"fmt"
)

// ErrUnsupported is wrapped by every UnsupportedError, so callers can test
// with errors.Is.
var ErrUnsupported = errors.New("not supported by this format")

// UnsupportedError says that a client cannot use the account as it is
// (mpop asked for IMAP, getmail6 asked for STARTTLS) and what to do instead.
type UnsupportedError struct {
	Format string
	Reason string
	Advice string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: %s; %s", e.Format, e.Reason, e.Advice)
}

func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// ErrInvalidAccount is wrapped by every AccountError.
var ErrInvalidAccount = errors.New("account cannot be exported")

// AccountError says which field of the account makes it unusable: missing,
// inconsistent, or holding characters that would break a config file's
// syntax (a newline in a host name would add lines to a shell-evaluated
// msmtp file, for instance).
type AccountError struct {
	Field  string
	Reason string
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("%v: %s %s", ErrInvalidAccount, e.Field, e.Reason)
}

func (e *AccountError) Unwrap() error { return ErrInvalidAccount }

// ErrInvalidOptions is wrapped by every OptionError.
var ErrInvalidOptions = errors.New("export options are unusable")

// OptionError says which field of Options cannot be written into a client
// file (a relative CAFile, a fingerprint that is not SHA-256, …).
type OptionError struct {
	Option string
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%v: %s %s", ErrInvalidOptions, e.Option, e.Reason)
}

func (e *OptionError) Unwrap() error { return ErrInvalidOptions }
