package testbed

import (
	"encoding/base64"
	"errors"
	"strings"
)

var (
	errSASLMechanism = errors.New("unsupported SASL mechanism")
	errSASLCancelled = errors.New("SASL exchange cancelled")
	errSASLSyntax    = errors.New("malformed SASL response")
)

// saslExchange runs the server side of PLAIN or LOGIN. initial is the
// initial response given with the command (hasInitial false when none was
// given); prompt sends a base64 challenge and returns the client's answer.
func saslExchange(mech, initial string, hasInitial bool, prompt func(challenge string) (string, error)) (user, pass string, err error) {
	decode := func(s string) (string, error) {
		if s == "*" {
			return "", errSASLCancelled
		}
		if s == "=" {
			return "", nil
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return "", errSASLSyntax
		}
		return string(b), nil
	}
	ask := func(challenge string) (string, error) {
		line, err := prompt(base64.StdEncoding.EncodeToString([]byte(challenge)))
		if err != nil {
			return "", err
		}
		return decode(strings.TrimSpace(line))
	}
	switch strings.ToUpper(mech) {
	case "PLAIN":
		var resp string
		if hasInitial {
			resp, err = decode(initial)
		} else {
			resp, err = ask("")
		}
		if err != nil {
			return "", "", err
		}
		parts := strings.Split(resp, "\x00")
		if len(parts) != 3 {
			return "", "", errSASLSyntax
		}
		return parts[1], parts[2], nil
	case "LOGIN":
		if hasInitial {
			user, err = decode(initial)
		} else {
			user, err = ask("Username:")
		}
		if err != nil {
			return "", "", err
		}
		pass, err = ask("Password:")
		return user, pass, err
	}
	return "", "", errSASLMechanism
}
