package probe

import "mailsetup/mailcfg"

// facts fills the Result fields read off the capabilities.
func (s *session) facts() {
	res, caps := s.res, s.caps
	switch s.srv.Protocol {
	case mailcfg.POP3:
		res.AuthMechanisms = pop3Mechanisms(caps)
		res.APOP = s.pop3.timestamp != ""
	case mailcfg.IMAP:
		res.AuthMechanisms = imapMechanisms(caps)
		res.LoginDisabled = hasWord(caps, "LOGINDISABLED")
		res.IMAPID = hasWord(caps, "ID")
	case mailcfg.SMTP:
		res.AuthMechanisms = smtpMechanisms(caps)
		res.SizeLimit = smtpSize(caps)
	}
}
