package hints

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"mailsetup/l10n"
)

//go:embed catalogue.json
var catalogueJSON []byte

// catalogue is the parsed, validated catalogue.json.
var catalogue = mustLoadCatalogue(catalogueJSON)

type catalogueTable struct {
	entries []Entry
	byID    map[string]*Entry
}

var placeholderRE = regexp.MustCompile(`\{[a-z0-9_]+\}`)

// CatalogueError reports a malformed catalogue entry.
type CatalogueError struct {
	ID  string
	Msg string
}

func (e *CatalogueError) Error() string {
	return fmt.Sprintf("hints catalogue: entry %q: %s", e.ID, e.Msg)
}

// loadCatalogue parses and checks the catalogue: unique ids, a known
// severity, a text in every language, and the same known placeholders in
// every language (so no translation can leave one unfilled).
func loadCatalogue(data []byte) (*catalogueTable, error) {
	var entries []Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("hints catalogue: %w", err)
	}
	t := &catalogueTable{entries: entries, byID: make(map[string]*Entry, len(entries))}
	for i := range entries {
		e := &entries[i]
		if e.ID == "" {
			return nil, &CatalogueError{ID: fmt.Sprintf("#%d", i), Msg: "no id"}
		}
		if t.byID[e.ID] != nil {
			return nil, &CatalogueError{ID: e.ID, Msg: "duplicate id"}
		}
		switch e.Severity {
		case SeverityError, SeverityWarning, SeverityInfo:
		default:
			return nil, &CatalogueError{ID: e.ID, Msg: "unknown severity " + e.Severity}
		}
		var want []string
		for _, lang := range l10n.Languages {
			text := e.Text[lang]
			if text == "" {
				return nil, &CatalogueError{ID: e.ID, Msg: "no text in " + lang}
			}
			got := placeholdersIn(text)
			for _, p := range got {
				if !knownPlaceholder(p) {
					return nil, &CatalogueError{ID: e.ID, Msg: "unknown placeholder " + p + " in " + lang}
				}
			}
			if want == nil {
				want = got
			} else if !slices.Equal(want, got) {
				return nil, &CatalogueError{ID: e.ID, Msg: fmt.Sprintf("placeholders differ in %s: %v, want %v", lang, got, want)}
			}
		}
		t.byID[e.ID] = e
	}
	return t, nil
}

func mustLoadCatalogue(data []byte) *catalogueTable {
	t, err := loadCatalogue(data)
	if err != nil {
		panic(err) // the file is embedded: tests catch this before anyone ships it
	}
	return t
}

// placeholdersIn lists the distinct placeholders of a text, sorted.
func placeholdersIn(text string) []string {
	found := placeholderRE.FindAllString(text, -1)
	slices.Sort(found)
	return slices.Compact(found)
}

// Catalogue returns every entry with its texts, in catalogue order. The
// result is a copy: callers may change it freely.
func Catalogue() []Entry {
	out := make([]Entry, len(catalogue.entries))
	for i, e := range catalogue.entries {
		e.Text = maps(e.Text)
		out[i] = e
	}
	return out
}

// Lookup returns the catalogue entry with the given id.
func Lookup(id string) (Entry, bool) {
	e := catalogue.byID[id]
	if e == nil {
		return Entry{}, false
	}
	c := *e
	c.Text = maps(e.Text)
	return c, true
}

// Render returns the hint with the given id in lang, its placeholders
// filled from f; false when no entry has that id.
func Render(id string, f Facts, lang string) (Hint, bool) {
	e := catalogue.byID[id]
	if e == nil {
		return Hint{}, false
	}
	lang = l10n.Normalize(lang)
	return Hint{
		ID:       e.ID,
		Severity: e.Severity,
		Text:     fill(e.Text[lang], lang, placeholderValues(f, lang, providerNameFor(f, lang))),
		URL:      e.URL,
	}, true
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
