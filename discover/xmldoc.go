package discover

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxDocumentSize bounds every configuration document and HTTP body: real
// ones are a few kilobytes, so anything near this is broken or hostile.
const MaxDocumentSize = 1 << 20

// readDocument reads all of r, refusing more than MaxDocumentSize bytes
// instead of parsing a truncated prefix.
func readDocument(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDocumentSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// decodeDocument reads a bounded document from r, refuses what checkXML
// refuses, and decodes it into v; what names the kind of document in the
// error, as in "a clientConfig".
func decodeDocument(r io.Reader, v any, what string) error {
	data, err := readDocument(r)
	if err != nil {
		return err
	}
	if err := checkXML(data); err != nil {
		return err
	}
	if err := newXMLDecoder(data).Decode(v); err != nil {
		return fmt.Errorf("%w: not %s document: %v", ErrMalformed, what, err)
	}
	return nil
}

// noServersError is ErrNoServers, with the reasons the document's servers
// were skipped when there are any.
func noServersError(skipped []string) error {
	if len(skipped) > 0 {
		return fmt.Errorf("%w (%s)", ErrNoServers, strings.Join(skipped, "; "))
	}
	return ErrNoServers
}

// newXMLDecoder returns a strict decoder that understands the few
// single-byte charsets a configuration document may still declare.
func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	return d
}

// checkXML walks every token of the document once before it is decoded:
// it rejects DOCTYPE and ENTITY declarations (encoding/xml would skip them
// silently) and reports syntax errors anywhere, even after the root element.
func checkXML(data []byte) error {
	d := newXMLDecoder(data)
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return ErrDTD
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("%w: text outside the root element", ErrMalformed)
			}
		}
	}
	if roots != 1 {
		return fmt.Errorf("%w: %d root elements", ErrMalformed, roots)
	}
	return nil
}

// charsetReader accepts UTF-8 under its aliases plus US-ASCII and
// ISO-8859-1, which map byte for byte onto Unicode.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1", "l1":
		return &latin1Reader{r: input}, nil
	}
	return nil, fmt.Errorf("unsupported charset %q", charset)
}

// latin1Reader converts ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r       io.Reader
	pending []byte // encoded bytes that did not fit the caller's buffer
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) == 0 {
		// Each input byte becomes at most two output bytes.
		buf := make([]byte, max(len(p)/2, 1))
		n, err := l.r.Read(buf)
		for _, b := range buf[:n] {
			l.pending = utf8.AppendRune(l.pending, rune(b))
		}
		if len(l.pending) == 0 {
			return 0, err
		}
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}
