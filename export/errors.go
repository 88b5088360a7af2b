package export

import (
	"errors"
	"fmt"

	"mailsetup/l10n"
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
	// Code is the catalogue text that says it in any language, for a
	// format that refuses more than one thing; empty means
	// export.unsupported.<Format>.
	Code string
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

// Message says it in any language: the l10n catalogue's
// export.unsupported.<format> says what the format refuses, or Code when
// it refuses more than one thing.
func (e *UnsupportedError) Message() l10n.Message {
	if e.Code != "" && l10n.Has(e.Code) {
		return l10n.M(e.Code)
	}
	if code := "export.unsupported." + e.Format; l10n.Has(code) {
		return l10n.M(code)
	}
	return l10n.Verbatim(e.Error())
}

// Message frames the field's problem in any language; the problem itself
// (rare: a configuration file would break) stays in English.
func (e *AccountError) Message() l10n.Message {
	return l10n.M("export.invalid_account", "field", e.Field, "detail", e.Reason)
}

// Message frames the option's problem in any language, as AccountError's.
func (e *OptionError) Message() l10n.Message {
	return l10n.M("export.invalid_option", "option", e.Option, "detail", e.Reason)
}
