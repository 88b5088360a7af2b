package assistant

import "mailsetup/l10n"

// OptionError says which option New could not use, in any language.
type OptionError struct {
	Why l10n.Message
	Err error
}

func (e *OptionError) Error() string         { return e.Why.String() }
func (e *OptionError) Unwrap() error         { return e.Err }
func (e *OptionError) Message() l10n.Message { return e.Why }

func optionError(why l10n.Message, err error) error { return &OptionError{Why: why, Err: err} }
