package pop3

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// User sends USER name.
func (c *Client) User(ctx context.Context, name string) error {
	if !validArg(name) {
		return fmt.Errorf("pop3: USER: %w", ErrBadArgument)
	}
	_, err := c.simple(ctx, "USER", "USER "+name, "USER "+name)
	return err
}

// Pass sends PASS password. Neither the transcript nor an error shows it.
func (c *Client) Pass(ctx context.Context, password string) error {
	if !validArg(password) {
		return fmt.Errorf("pop3: PASS: %w", ErrBadArgument)
	}
	c.tr.secrets = []string{password}
	defer c.forgetSecrets()
	_, err := c.simple(ctx, "PASS", "PASS "+password, "PASS "+mask)
	return err
}

// Login is USER then PASS.
func (c *Client) Login(ctx context.Context, name, password string) error {
	if err := c.User(ctx, name); err != nil {
		return err
	}
	return c.Pass(ctx, password)
}

// APOP logs in with the RFC 1939 digest: MD5 of the greeting timestamp
// followed by the password, in lower-case hex. Without a timestamp it
// returns ErrNoAPOPTimestamp and sends nothing.
func (c *Client) APOP(ctx context.Context, name, password string) error {
	if c.timestamp == "" {
		return ErrNoAPOPTimestamp
	}
	if !validArg(name) || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("pop3: APOP: %w", ErrBadArgument)
	}
	digest := apopDigest(c.timestamp, password)
	c.tr.secrets = []string{password, digest}
	defer c.forgetSecrets()
	_, err := c.simple(ctx, "APOP", "APOP "+name+" "+digest, "APOP "+name+" "+mask)
	return err
}

func apopDigest(timestamp, password string) string {
	sum := md5.Sum([]byte(timestamp + password))
	return hex.EncodeToString(sum[:])
}

func (c *Client) forgetSecrets() { c.tr.secrets = nil }

// Stat returns the message count and the mailbox size in octets.
func (c *Client) Stat(ctx context.Context) (count int, size int64, err error) {
	text, err := c.simple(ctx, "STAT", "STAT", "STAT")
	if err != nil {
		return 0, 0, err
	}
	// "+OK nn mm"; servers may append more, which RFC 1939 discourages.
	f := strings.Fields(text)
	if len(f) >= 2 {
		n, err1 := strconv.Atoi(f[0])
		s, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 == nil && err2 == nil && n >= 0 && s >= 0 {
			return n, s, nil
		}
	}
	return 0, 0, c.fail(c.protocolError(`reply is not "+OK count size"`, "+OK "+text))
}

// Quit sends QUIT and closes the connection whatever the answer. A -ERR
// reply (some deletions failed) comes back as *Error.
func (c *Client) Quit(ctx context.Context) error {
	defer c.Close()
	_, err := c.simple(ctx, "QUIT", "QUIT", "QUIT")
	return err
}
