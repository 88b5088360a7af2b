package pop3

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
)

// StartTLS sends STLS (RFC 2595) and runs the TLS handshake on the same
// connection; afterwards every command goes over TLS. cfg must name the
// server (ServerName) or skip verification. A -ERR reply is *Error and
// leaves the plain session usable; a failed handshake does not, and its
// error wraps the crypto/tls or crypto/x509 error.
func (c *Client) StartTLS(ctx context.Context, cfg *tls.Config) (err error) {
	if cfg == nil {
		return errors.New("pop3: STLS: nil tls.Config")
	}
	if _, ok := c.conn.(*tls.Conn); ok {
		return errors.New("pop3: STLS: already using TLS")
	}
	if err := c.begin(ctx, "STLS"); err != nil {
		return err
	}
	defer c.end()
	if err := c.writeLine("STLS", "STLS"); err != nil {
		return err
	}
	if _, err := c.readStatus(); err != nil {
		return err
	}
	// Bytes already waiting came before the handshake, in clear text: a
	// man in the middle could have slipped them in to be read as if they
	// were protected (the STARTTLS injection of CVE-2011-0411 and kin).
	if n := c.wire.r.Buffered(); n > 0 {
		return c.fail(c.protocolError(fmt.Sprintf("%d bytes of plain text after the STLS reply", n), ""))
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return c.ioError(err)
	}
	c.conn = tc
	c.wire = newWire(tc, c.opts.MaxLine)
	return nil
}
