package probe

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLooksBinary(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+OK ready\r\n", false},
		{"220 欢迎使用 QQ 邮箱\r\n", false},
		{"220 \xe6\xac", false}, // a character cut by the read
		{"\x16\x03\x01", true},
		{"ok\x00", true},
		{"\xff\xfe", true},
		{"tab\there", false},
	}
	for _, tt := range tests {
		if got := looksBinary([]byte(tt.in)); got != tt.want {
			t.Errorf("looksBinary(%q) = %v", tt.in, got)
		}
	}
}

func TestLineReader(t *testing.T) {
	// One byte at a time, bare LF accepted, CRLF stripped.
	lr := newLineReader(iotest.OneByteReader(strings.NewReader("one\r\ntwo\nthree")), 10)
	for _, want := range []string{"one", "two"} {
		if got, err := lr.readLine(); got != want || err != nil {
			t.Fatalf("readLine = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := lr.readLine(); err != io.ErrUnexpectedEOF {
		t.Errorf("cut line: %v", err)
	}
	lr = newLineReader(strings.NewReader(strings.Repeat("x", 20)+"\r\n"), 10)
	if _, err := lr.readLine(); err == nil || !strings.Contains(err.Error(), "longer than 10 bytes") {
		t.Errorf("long line: %v", err)
	}
	lr = newLineReader(strings.NewReader("\x00\x01\x02"), 10)
	if _, err := lr.readFirstLine(); err == nil || !strings.Contains(err.Error(), "3 bytes: 00 01 02") {
		t.Errorf("binary: %v", err)
	}
}
