package l10n

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Message is something to tell the user: a stable code from the catalogue
// and the values of its placeholders. It is what the engine reports
// instead of a sentence; JSON documents carry it as {"code", "args"}.
type Message struct {
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"`
	// Sub fills placeholders with messages of their own ("{cause}",
	// "{phase}"), rendered in the same language.
	Sub map[string]Message `json:"sub,omitempty"`
	// Parts are the messages of a List, rendered one after the other.
	Parts []Message `json:"parts,omitempty"`
}

// M makes a Message from a code and name/value pairs.
func M(code string, pairs ...string) Message {
	m := Message{Code: code}
	for i := 0; i+1 < len(pairs); i += 2 {
		if m.Args == nil {
			m.Args = map[string]string{}
		}
		m.Args[pairs[i]] = pairs[i+1]
	}
	return m
}

// With returns m with the placeholder {name} filled by sub.
func (m Message) With(name string, sub Message) Message {
	subs := make(map[string]Message, len(m.Sub)+1)
	for k, v := range m.Sub {
		subs[k] = v
	}
	subs[name] = sub
	m.Sub = subs
	return m
}

// Because returns m with cause filling its {cause} placeholder.
func (m Message) Because(cause Message) Message { return m.With("cause", cause) }

// listCode marks a List.
const listCode = "list"

// List joins several messages into one ("expired; signed by an unknown
// authority"); a list of one is that message.
func List(parts ...Message) Message {
	if len(parts) == 1 {
		return parts[0]
	}
	return Message{Code: listCode, Parts: parts}
}

// IsZero reports whether m says nothing.
func (m Message) IsZero() bool { return m.Code == "" }

// String is the message in English, for logs and the JSON "error" fields.
func (m Message) String() string { return m.In(English) }

// In renders the message in lang. A placeholder with neither an argument
// nor a sub-message renders as nothing (an optional part); a code the
// catalogue lacks renders as the code with its arguments, so nothing is
// ever silently lost.
func (m Message) In(lang string) string {
	switch m.Code {
	case "":
		return ""
	case listCode:
		out := make([]string, len(m.Parts))
		for i, p := range m.Parts {
			out[i] = p.In(lang)
		}
		return strings.Join(out, Text(lang, "sep.clauses"))
	}
	e, ok := catalogue[m.Code]
	if !ok {
		return fallbackText(m)
	}
	text, ok := e[Normalize(lang)]
	if !ok {
		text = e[English]
	}
	return placeholderRE.ReplaceAllStringFunc(text, func(p string) string {
		name := p[1 : len(p)-1]
		if sub, ok := m.Sub[name]; ok {
			return sub.In(lang)
		}
		return bounded(m.Args[name])
	})
}

// Text renders a catalogue entry without arguments: labels and words.
func Text(lang, code string, pairs ...string) string { return M(code, pairs...).In(lang) }

// maxArgRunes bounds what one argument (often a server's words) adds.
const maxArgRunes = 300

func bounded(v string) string {
	v = strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, v)
	if r := []rune(v); len(r) > maxArgRunes {
		return string(r[:maxArgRunes]) + "…"
	}
	return v
}

func fallbackText(m Message) string {
	if len(m.Args) == 0 {
		return m.Code
	}
	keys := make([]string, 0, len(m.Args))
	for k := range m.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + bounded(m.Args[k])
	}
	return m.Code + " (" + strings.Join(parts, ", ") + ")"
}

//go:embed catalogue.json
var catalogueJSON []byte

// catalogue maps each code to its text in every language.
var catalogue = mustLoad(catalogueJSON)

var placeholderRE = regexp.MustCompile(`\{[a-z][a-z0-9_]*\}`)

func mustLoad(data []byte) map[string]map[string]string {
	c, err := load(data)
	if err != nil {
		panic(err) // embedded: the tests catch it before anyone ships it
	}
	return c
}

// load parses and checks the catalogue: a text in every language and the
// same placeholders in each, so that no translation loses a fact. A
// placeholder ending in "_a" is the same noun with its English article
// ("{want_a}" = "an IMAP" where Chinese says "{want}"), and counts as it.
func load(data []byte) (map[string]map[string]string, error) {
	var c map[string]map[string]string
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("l10n catalogue: %w", err)
	}
	for code, texts := range c {
		var want []string
		for _, lang := range Languages {
			text, ok := texts[lang]
			if !ok || text == "" {
				return nil, fmt.Errorf("l10n catalogue: %q has no %s text", code, lang)
			}
			got := placeholders(text)
			if want == nil {
				want = got
			} else if !slices.Equal(got, want) {
				return nil, fmt.Errorf("l10n catalogue: %q: placeholders %v in %s, %v in en", code, got, lang, want)
			}
		}
		if len(texts) != len(Languages) {
			return nil, fmt.Errorf("l10n catalogue: %q has texts in languages other than %v", code, Languages)
		}
	}
	return c, nil
}

func placeholders(text string) []string {
	var found []string
	for _, p := range placeholderRE.FindAllString(text, -1) {
		if noun, ok := strings.CutSuffix(p, "_a}"); ok {
			p = noun + "}"
		}
		found = append(found, p)
	}
	slices.Sort(found)
	return slices.Compact(found)
}

// Codes lists every code of the catalogue, sorted.
func Codes() []string {
	out := make([]string, 0, len(catalogue))
	for c := range catalogue {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the catalogue knows code.
func Has(code string) bool { _, ok := catalogue[code]; return ok }
