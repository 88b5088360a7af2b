package pop3

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
)

const (
	// maxAuthLine is the longest AUTH command line, CRLF included (RFC
	// 5034 section 4). A longer initial response waits for an empty
	// challenge instead.
	maxAuthLine = 255
	// maxAuthRounds stops a server that keeps on challenging.
	maxAuthRounds = 16
)

// Auth runs SASL authentication (RFC 5034) with mech, e.g.
// sasl.NewPlainClient("", user, password). The initial response rides on
// the AUTH line; challenges are base64-decoded for mech; if mech fails the
// exchange is cancelled with "*" and mech's error returned. The transcript
// shows the mechanism name only and "********" for every response.
func (c *Client) Auth(ctx context.Context, mech sasl.Client) (err error) {
	name, ir, err := mech.Start()
	if err != nil {
		return fmt.Errorf("pop3: AUTH: %w", err)
	}
	if !validMechName(name) {
		return fmt.Errorf("pop3: AUTH: invalid mechanism name %q", name)
	}
	if err := c.begin(ctx, "AUTH"); err != nil {
		return err
	}
	defer c.end()
	defer c.forgetSecrets()

	line := "AUTH " + name
	var deferred []string // an initial response too long for the AUTH line
	if ir != nil {
		enc := "=" // RFC 5034: an empty initial response
		if len(ir) > 0 {
			enc = base64.StdEncoding.EncodeToString(ir)
		}
		c.addSecrets(string(ir), enc)
		if len(line)+1+len(enc)+2 <= maxAuthLine {
			line += " " + enc
		} else {
			deferred = []string{enc}
		}
	}
	if err := c.writeLine(line, "AUTH "+name); err != nil {
		return err
	}
	for round := 0; ; round++ {
		reply, err := c.readLine()
		if err != nil {
			return err
		}
		if !isContinuation(reply) {
			_, err := c.parseStatus(reply)
			return err
		}
		if round >= maxAuthRounds {
			return c.fail(c.protocolError("too many SASL challenges", reply))
		}
		var resp string
		if len(deferred) > 0 {
			resp, deferred = deferred[0], nil
		} else {
			challenge, ok := decodeChallenge(reply)
			if !ok {
				return c.fail(c.abortAuth(c.protocolError("SASL challenge is not base64", reply)))
			}
			out, err := mech.Next(challenge)
			if err != nil {
				return c.abortAuth(fmt.Errorf("pop3: AUTH %s: %w", name, err))
			}
			resp = base64.StdEncoding.EncodeToString(out)
			c.addSecrets(string(out), resp)
		}
		if err := c.writeLine(resp, mask); err != nil {
			return err
		}
	}
}

// abortAuth cancels the exchange with "*" and reads the server's answer,
// which keeps the stream in step; cause is what the caller gets.
func (c *Client) abortAuth(cause error) error {
	if err := c.writeLine("*", "*"); err != nil {
		return err
	}
	reply, err := c.readLine()
	if err != nil {
		return err
	}
	if isContinuation(reply) {
		return c.fail(c.protocolError("server went on challenging after \"*\"", reply))
	}
	if _, err := c.parseStatus(reply); err != nil {
		if _, isReply := err.(*Error); !isReply {
			return err
		}
	}
	return cause
}

// decodeChallenge decodes the base64 after "+ ". Some servers leave off
// the padding, so that is accepted too.
func decodeChallenge(reply string) ([]byte, bool) {
	text := strings.TrimSpace(reply[1:])
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(text); err != nil {
			return nil, false
		}
	}
	if b == nil {
		b = []byte{}
	}
	return b, true
}

func (c *Client) addSecrets(s ...string) {
	c.tr.secrets = append(c.tr.secrets, s...)
}

// validMechName checks RFC 4422 mechanism syntax: 1 to 20 of A-Z 0-9 - _.
func validMechName(name string) bool {
	if name == "" || len(name) > 20 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
