package l10n

import "errors"

// Messenger is anything that can say itself in any language: the errors of
// the engine's packages (dnsx.Error, probe.RefusedError,
// mailcfg.AddressError …) and the command line's own.
type Messenger interface{ Message() Message }

// FromError is what err says, in any language: the message of the first
// error of its chain that has one, else its English text shown verbatim (a
// system's or a library's words the catalogue cannot know).
func FromError(err error) Message {
	if err == nil {
		return Message{}
	}
	var m Messenger
	if errors.As(err, &m) {
		if msg := m.Message(); !msg.IsZero() {
			return msg
		}
	}
	return Verbatim(err.Error())
}

// Verbatim is text shown as it is in every language.
func Verbatim(text string) Message { return M("verbatim", "text", text) }
