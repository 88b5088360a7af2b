package mailcfg

import "mailsetup/l10n"

// Message says what is wrong with the address, in any language (the l10n
// codes address.*), without repeating it: the face that has it quotes it.
func (e *AddressError) Message() l10n.Message { return l10n.M("address." + string(e.Problem)) }

// Message says what is wrong with the spec, in any language (the l10n codes
// spec.*); its English is Error's.
func (e *SpecError) Message() l10n.Message { return l10n.M("spec."+string(e.Problem), "spec", e.Spec) }
