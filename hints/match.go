package hints

import "mailsetup/l10n"

// Match returns every hint that fits f, most specific first, without
// duplicates, in lang (see NormalizeLang). It returns nil when f holds no
// failure at all.
func Match(f Facts, lang string) []Hint {
	lang = l10n.Normalize(lang)
	v := newView(&f)
	if !v.failed() {
		return nil
	}
	ids := matchIDs(v)
	if len(ids) == 0 {
		ids = []string{fallbackID(v)}
	}
	values := placeholderValues(f, lang, providerNameFor(f, lang))
	out := make([]Hint, 0, len(ids))
	for _, id := range ids {
		e := catalogue.byID[id]
		out = append(out, Hint{ID: e.ID, Severity: e.Severity, Text: fill(e.Text[lang], lang, values), URL: e.URL})
	}
	return out
}

// matchIDs runs the rule table.
func matchIDs(v *view) []string {
	var ids []string
	taken := map[string]bool{}
next:
	for _, r := range rules {
		for _, c := range r.classes {
			if taken[c] {
				continue next
			}
		}
		if !r.when(v) {
			continue
		}
		for _, c := range r.classes {
			taken[c] = true
		}
		ids = append(ids, r.id)
		if r.final {
			break
		}
	}
	return ids
}

func fallbackID(v *view) string {
	if v.f.Stage == StageDiscover {
		return idNoSettings
	}
	return idUnknown
}
