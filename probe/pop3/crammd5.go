package pop3

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"

	"github.com/emersion/go-sasl"
)

// CramMD5 is the SASL mechanism name of RFC 2195.
const CramMD5 = "CRAM-MD5"

// NewCramMD5Client returns a sasl.Client for CRAM-MD5 (RFC 2195), which
// go-sasl lacks: it answers the one challenge with the user name and the
// hex HMAC-MD5 of the challenge keyed with the secret.
func NewCramMD5Client(username, secret string) sasl.Client {
	return &cramMD5Client{username: username, secret: secret}
}

type cramMD5Client struct {
	username, secret string
	answered         bool
}

func (a *cramMD5Client) Start() (string, []byte, error) {
	a.answered = false
	return CramMD5, nil, nil
}

func (a *cramMD5Client) Next(challenge []byte) ([]byte, error) {
	if a.answered {
		return nil, sasl.ErrUnexpectedServerChallenge
	}
	a.answered = true
	mac := hmac.New(md5.New, []byte(a.secret))
	mac.Write(challenge)
	return []byte(a.username + " " + hex.EncodeToString(mac.Sum(nil))), nil
}
