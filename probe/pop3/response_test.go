package pop3

import (
	"strings"
	"testing"
)

func TestParseResponse(t *testing.T) {
	tests := []struct {
		line       string
		ok         bool
		code, text string
		bad        bool
	}{
		{line: "+OK", ok: true},
		{line: "+OK ", ok: true},
		{line: "+OK 2 320", ok: true, text: "2 320"},
		{line: "+ok lower", ok: true, text: "lower"},
		{line: "+OK\tTab", ok: true, text: "Tab"},
		{line: "-ERR", ok: false},
		{line: "-ERR no such message", text: "no such message"},
		{line: "-ERR [AUTH] Authentication failed.", code: "AUTH", text: "Authentication failed."},
		{line: "-ERR [IN-USE] Mailbox locked", code: "IN-USE", text: "Mailbox locked"},
		{line: "-ERR [LOGIN-DELAY] wait 5 minutes", code: "LOGIN-DELAY", text: "wait 5 minutes"},
		{line: "-ERR [SYS/TEMP] try later", code: "SYS/TEMP", text: "try later"},
		{line: "-ERR [SYS/PERM] gone", code: "SYS/PERM", text: "gone"},
		{line: "-ERR [auth] lower code", code: "AUTH", text: "lower code"},
		{line: "-ERR [AUTH]", code: "AUTH"},
		{line: "+OK [XYZ] fine", ok: true, code: "XYZ", text: "fine"},
		{line: "-ERR [unterminated code", text: "[unterminated code"},
		{line: "-ERR [] empty", text: "[] empty"},
		{line: "-ERR [SYS/] empty level", text: "[SYS/] empty level"},
		{line: "-ERR [HAS SPACE] text", text: "[HAS SPACE] text"},
		{line: "-ERR [/TEMP] x", text: "[/TEMP] x"},
		{line: "-ERR text [AUTH] later", text: "text [AUTH] later"},
		{line: "+OKAY", bad: true},
		{line: "-ERROR", bad: true},
		{line: "+ dGVzdA==", bad: true},
		{line: "", bad: true},
		{line: "OK", bad: true},
		{line: "220 smtp", bad: true},
		{line: "* OK imap", bad: true},
	}
	for _, tt := range tests {
		ok, code, text, err := ParseResponse(tt.line)
		if tt.bad {
			if _, isProto := err.(*ProtocolError); !isProto {
				t.Errorf("ParseResponse(%q) err = %v, want *ProtocolError", tt.line, err)
			}
			continue
		}
		if err != nil || ok != tt.ok || code != tt.code || text != tt.text {
			t.Errorf("ParseResponse(%q) = %v, %q, %q, %v; want %v, %q, %q", tt.line, ok, code, text, err, tt.ok, tt.code, tt.text)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Command: "PASS", Code: "AUTH", Text: "Authentication failed"}, "pop3: PASS: -ERR [AUTH] Authentication failed"},
		{&Error{Command: "CAPA"}, "pop3: CAPA: -ERR"},
		{&Error{Text: "x\x1b[2J"}, `pop3: -ERR x\x1b[2J`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	e := &Error{Code: "SYS/TEMP"}
	for code, want := range map[string]bool{"SYS": true, "sys/temp": true, "SYS/PERM": false, "SY": false, "AUTH": false} {
		if got := e.HasCode(code); got != want {
			t.Errorf("HasCode(%q) on SYS/TEMP = %v, want %v", code, got, want)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 0, "plain"},
		{"tab\there", 0, `tab\there`},
		{"nul\x00", 0, `nul\x00`},
		{"bad utf8 \xff", 0, `bad utf8 \xff`},
		{"中文", 0, "中文"},
		{"line\u2028sep", 0, `line\u2028sep`},
		{"abcdef", 3, "abc..."},
		{"中文", 4, "中..."}, // a rune split by the cut is dropped, not escaped
	}
	for _, tt := range tests {
		if got := printable(tt.in, tt.max); got != tt.want {
			t.Errorf("printable(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{"+OK", "-ERR [SYS/TEMP] x", "+OK 1 2", "-ERR [", "+ok", "-ERR [A/B/C] d", "+OK\t[X]", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		ok, code, text, err := ParseResponse(line)
		if err != nil {
			if _, isProto := err.(*ProtocolError); !isProto {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		status := "-ERR"
		if ok {
			status = "+OK"
		}
		if !hasPrefixFold(line, status) {
			t.Fatalf("%q parsed as %s", line, status)
		}
		if !strings.Contains(line, text) || strings.Trim(text, " \t") != text {
			t.Fatalf("text %q is not the trimmed rest of %q", text, line)
		}
		if strings.ContainsAny(code, " []\t") || strings.Contains(code, "//") || !isText(code) {
			t.Fatalf("bad code %q from %q", code, line)
		}
		if code != "" && !strings.Contains(strings.ToUpper(line), "["+code+"]") {
			t.Fatalf("code %q not in %q", code, line)
		}
	})
}
