package export

import (
	"strings"
	"testing"
)

// The Outlook formats name the saved file in their instructions when it
// is a Windows path, and keep the example otherwise.
func TestSavedAsInOutlookInstructions(t *testing.T) {
	a := testAccounts[0].acct
	tests := []struct {
		format, savedAs string
		want            []string
		absent          []string
	}{
		{"outlook-prf", `C:\Users\Alice\Documents\alice@example.com.prf`,
			[]string{`outlook.exe /importprf "C:\Users\Alice\Documents\alice@example.com.prf"`}, []string{`C:\Mail`}},
		{"outlook-prf", `\\fileserver\home\alice\alice.prf`,
			[]string{`outlook.exe /importprf "\\fileserver\home\alice\alice.prf"`}, nil},
		{"outlook-prf", "/home/alice/alice.prf", []string{`outlook.exe /importprf "C:\Mail\example.com.prf"`}, []string{"/home/alice"}},
		{"outlook-prf", `C:\odd"name.prf`, []string{`C:\Mail\example.com.prf`}, []string{`odd"name`}},
		{"outlook-autodiscover", `D:\Mail files\example.xml`,
			[]string{`This file is saved as D:\Mail files\example.xml.`, `"example.com"="D:\\Mail files\\example.xml"`},
			[]string{`C:\Mail`, "for example"}},
		{"outlook-autodiscover", "", []string{`"example.com"="C:\\Mail\\autodiscover-example.com.xml"`, "for example"}, nil},
	}
	for _, tt := range tests {
		f, _ := ByID(tt.format)
		out, err := f.Render(a, Options{SavedAs: tt.savedAs})
		if err != nil {
			t.Fatal(err)
		}
		text := previewOf(out)
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s saved as %q: lacks %q", tt.format, tt.savedAs, w)
			}
		}
		for _, w := range tt.absent {
			if strings.Contains(text, w) {
				t.Errorf("%s saved as %q: still has %q", tt.format, tt.savedAs, w)
			}
		}
	}
}

// previewOf decodes a UTF-16 PRF; other files are UTF-8 already.
func previewOf(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		var sb strings.Builder
		for i := 2; i+1 < len(b); i += 2 {
			sb.WriteRune(rune(uint16(b[i]) | uint16(b[i+1])<<8))
		}
		return sb.String()
	}
	return string(b)
}
