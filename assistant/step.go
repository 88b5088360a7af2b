package assistant

import "mailsetup/l10n"

// say sets the step's outcome: its message and the same in English.
func (s *Step) say(m l10n.Message) { s.SummaryMessage, s.Summary = m, m.String() }

// sayReason sets an outcome whose English the engine already worded
// (a probe's or a login's error): scripts keep reading the same words.
func (s *Step) sayReason(m l10n.Message, english string) {
	if m.IsZero() {
		m = l10n.Verbatim(english)
	}
	s.SummaryMessage, s.Summary = m, english
}

// note adds a detail: its message and the same in English.
func (s *Step) note(m l10n.Message) {
	s.DetailMessages = append(s.DetailMessages, m)
	s.Details = append(s.Details, m.String())
}

// Label is the step's short name in lang, for a column ("dns" in English).
func (s *Step) Label(lang string) string {
	if l10n.Has("step." + s.Name) {
		return l10n.Text(lang, "step."+s.Name)
	}
	return s.Name
}

// Title is the step's heading in lang ("Name look-up (DNS)"), for the
// window's Troubleshoot tab.
func (s *Step) Title(lang string) string {
	if l10n.Has("step." + s.Name + ".title") {
		return l10n.Text(lang, "step."+s.Name+".title")
	}
	return s.Name
}

// SummaryText is the outcome in lang; a step read back from JSON without
// messages, or built without them, gives its English summary.
func (s *Step) SummaryText(lang string) string {
	if s.SummaryMessage.IsZero() {
		return s.Summary
	}
	return s.SummaryMessage.In(lang)
}

// DetailTexts are the details in lang, falling back to the English ones as
// SummaryText does.
func (s *Step) DetailTexts(lang string) []string {
	if len(s.DetailMessages) != len(s.Details) {
		return s.Details
	}
	out := make([]string, len(s.DetailMessages))
	for i, m := range s.DetailMessages {
		out[i] = m.In(lang)
	}
	return out
}
