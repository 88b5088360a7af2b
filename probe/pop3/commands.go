package pop3

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
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
	return c.parseStat(text)
}

// parseStat reads STAT's reply text.
func (c *Client) parseStat(text string) (count int, size int64, err error) {
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

// LoginStat logs in with USER and PASS and counts the mailbox with STAT,
// the three commands sent at once (RFC 2449 PIPELINING): one round trip
// instead of three. Call it only on a server that advertises PIPELINING.
// The replies are read in order, all three, so that the stream stays in
// step whatever fails; the first failure is the error.
func (c *Client) LoginStat(ctx context.Context, name, password string) (count int, size int64, err error) {
	if !validArg(name) || !validArg(password) {
		return 0, 0, fmt.Errorf("pop3: USER/PASS: %w", ErrBadArgument)
	}
	if err := c.begin(ctx, "USER"); err != nil {
		return 0, 0, err
	}
	defer c.end()
	c.tr.secrets = []string{password}
	defer c.forgetSecrets()
	for _, l := range [][2]string{{"USER " + name, "USER " + name}, {"PASS " + password, "PASS " + mask}, {"STAT", "STAT"}} {
		if err := c.writeLine(l[0], l[1]); err != nil {
			return 0, 0, err
		}
	}
	var first error
	var stat string
	for _, verb := range []string{"USER", "PASS", "STAT"} {
		c.cmd = verb
		text, err := c.readStatus()
		var e *Error
		if err != nil && !errors.As(err, &e) {
			return 0, 0, err // out of step: nothing more to read
		}
		if err != nil && first == nil {
			first = err
		}
		if verb == "STAT" {
			stat = text
		}
	}
	if first != nil {
		return 0, 0, first
	}
	return c.parseStat(stat)
}

// QuitNow sends QUIT and closes without waiting for the answer: once the
// result is known, the server's goodbye would only cost a round trip.
func (c *Client) QuitNow() {
	if !c.closed && c.err == nil {
		c.raw.SetDeadline(time.Now().Add(time.Second))
		c.writeLine("QUIT", "QUIT")
	}
	c.Close()
}
