package export

import (
	"errors"
	"strings"
	"testing"

	"mailsetup/l10n"
	"mailsetup/l10n/l10ntest"
)

// Every refusal of a format says in any language what its English says.
func TestUnsupportedMessages(t *testing.T) {
	var errs []error
	for _, ta := range testAccounts {
		for _, f := range Formats() {
			if _, err := f.Render(ta.acct, Options{Seed: testSeed}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	_, err := renderFetchmail(testAccounts[0].acct, Options{IncomingFingerprint: strings.Repeat("cd", 32)})
	errs = append(errs, err)
	formats := map[string]bool{}
	for _, err := range errs {
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Fatalf("want UnsupportedError, got %v", err)
		}
		formats[ue.Format] = true
		m := l10n.FromError(err)
		if m.Code != "export.unsupported."+ue.Format || m.String() != err.Error() {
			t.Errorf("%s: message %s says %q, the error %q", ue.Format, m.Code, m, err)
		}
		for _, lang := range []string{l10n.SimplifiedChinese, l10n.TraditionalChinese} {
			if words := l10ntest.EnglishIn(m.In(lang)); len(words) > 0 {
				t.Errorf("%s in %s keeps English %q", ue.Format, lang, words)
			}
		}
	}
	if len(formats) != 3 {
		t.Errorf("refusals of %v; want mpop's, getmail's and fetchmail's", formats)
	}
}
