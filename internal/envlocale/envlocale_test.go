package envlocale

import (
	"maps"
	"strings"
	"testing"

	"mailsetup/l10n"
)

func TestAlign(t *testing.T) {
	cases := []struct {
		env, want map[string]string // want: the variables align changes
	}{
		{map[string]string{"LANG": "zh_CN.UTF-8"}, nil},
		{map[string]string{"LANG": "en_US.UTF-8"}, nil},
		{map[string]string{"LANGUAGE": "zh_TW:en", "LANG": "en_US.UTF-8"}, nil},
		{map[string]string{}, map[string]string{"LANGUAGE": "en"}},
		{map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANGUAGE": "en"}},
		{map[string]string{"LC_ALL": "C"}, map[string]string{"LANGUAGE": "en"}},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "zh_TW.UTF-8"}, map[string]string{"LANGUAGE": "zh_TW"}},
		{map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, map[string]string{"LANGUAGE": "zh_CN", "LC_ALL": "C.UTF-8"}},
		{map[string]string{"LANGUAGE": "zh_CN", "LC_ALL": "POSIX"}, map[string]string{"LC_ALL": "C.UTF-8"}},
	}
	for _, tc := range cases {
		for _, v := range l10n.LocaleVariables {
			t.Setenv(v, tc.env[v])
		}
		got := map[string]string{}
		env := maps.Clone(tc.env)
		align(func(k string) string { return env[k] }, func(k, v string) error { got[k], env[k] = v, v; return nil })
		if !maps.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%v: set %v, want %v", tc.env, got, tc.want)
		}
		// Afterwards Fyne's reading and l10n's agree.
		for _, v := range l10n.LocaleVariables {
			t.Setenv(v, env[v])
		}
		if fyne, ours := fyneLanguage(env), l10n.FromEnvironment(); fyne != ours {
			t.Errorf("%v: Fyne would read %s, l10n %s", tc.env, fyne, ours)
		}
	}
}

// fyneLanguage mimics the locale look-up of Fyne (go-locale on Unix).
func fyneLanguage(env map[string]string) string {
	first := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if env[v] != "" {
			first = env[v]
			break
		}
	}
	if first == "C" || first == "POSIX" {
		return l10n.English
	}
	if env["LANGUAGE"] != "" {
		first, _, _ = strings.Cut(env["LANGUAGE"], ":")
	}
	return l10n.Normalize(first)
}
