package gui

import (
	"image/color"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mailsetup/hints"
	"mailsetup/mailcfg"
)

// statusIcon is the icon of a probe status: green tick for ok, warning for
// insecure, error for failures, grey for abandoned, refresh while pending.
func statusIcon(s mailcfg.Status) fyne.Resource {
	switch s {
	case mailcfg.StatusOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case mailcfg.StatusInsecure:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case mailcfg.StatusAbandoned:
		return theme.NewDisabledResource(theme.MediaStopIcon())
	case mailcfg.StatusPending, "":
		return theme.ViewRefreshIcon()
	}
	return theme.NewErrorThemedResource(theme.ErrorIcon())
}

// okIcon is the tick or the cross of a finished check.
func okIcon(ok bool) fyne.Resource {
	if ok {
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	}
	return theme.NewErrorThemedResource(theme.CancelIcon())
}

// skippedIcon marks a step that did not run.
func skippedIcon() fyne.Resource { return theme.NewDisabledResource(theme.ContentRemoveIcon()) }

// readOnlyEntry is a multi-line entry whose text can be selected and
// copied but not changed; its text keeps full contrast, unlike a disabled one.
type readOnlyEntry struct {
	widget.Entry
}

func newReadOnlyEntry() *readOnlyEntry {
	e := &readOnlyEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapOff
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune drops typing.
func (e *readOnlyEntry) TypedRune(rune) {}

// TypedKey lets only movement through.
func (e *readOnlyEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyUp, fyne.KeyDown, fyne.KeyLeft, fyne.KeyRight, fyne.KeyHome, fyne.KeyEnd, fyne.KeyPageUp, fyne.KeyPageDown:
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut lets only copying and selecting through.
func (e *readOnlyEntry) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutSelectAll:
		e.Entry.TypedShortcut(s)
	}
}

// AcceptsTab is false so that Tab moves the focus on.
func (e *readOnlyEntry) AcceptsTab() bool { return false }

// textWrap is how long texts wrap in the current language: fyne breaks
// lines only at spaces, which Chinese does not use, so a Chinese sentence
// with one space in it would break there however early; Chinese lines may
// break between any two characters instead.
var textWrap = fyne.TextWrapWord

// setTextWrap picks the wrapping for the interface language.
func setTextWrap(lang string) {
	textWrap = fyne.TextWrapWord
	if strings.HasPrefix(lang, "zh") {
		textWrap = fyne.TextWrapBreak
	}
}

// wrapLabel is a label that wraps long lines.
func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = textWrap
	return l
}

// boldLabel is a heading-like label.
func boldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// hintView shows one hint: an icon for its severity, the text and its link.
func hintView(h hints.Hint) fyne.CanvasObject {
	var icon fyne.Resource
	switch h.Severity {
	case hints.SeverityError:
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	case hints.SeverityWarning:
		icon = theme.NewWarningThemedResource(theme.WarningIcon())
	default:
		icon = theme.NewPrimaryThemedResource(theme.InfoIcon())
	}
	body := container.NewVBox(wrapLabel(h.Text))
	if link := helpLink(h.URL); link != nil {
		body.Add(link)
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, body)
}

// helpLink is a "More help" hyperlink, nil for an empty or broken URL.
func helpLink(raw string) *widget.Hyperlink {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	return widget.NewHyperlink(lang.X("hint.more", "More help: {{.Host}}", map[string]string{"Host": u.Host}), u)
}

// banner is a tinted box that draws the eye: a warning or an error.
func banner(severity string, title string, body ...fyne.CanvasObject) fyne.CanvasObject {
	name := theme.ColorNameWarning
	var icon fyne.Resource = theme.NewWarningThemedResource(theme.WarningIcon())
	if severity == hints.SeverityError {
		name = theme.ColorNameError
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	bg := canvas.NewRectangle(tint(theme.Color(name)))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(name)
	bg.StrokeWidth = 1
	head := boldLabel(title)
	head.Wrapping = textWrap
	content := container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil,
		container.NewVBox(append([]fyne.CanvasObject{head}, body...)...))
	return container.NewStack(bg, container.NewPadded(content))
}

// tint is c at low opacity, for a banner's background.
func tint(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x30}
}

// shorten cuts s to n runes with an ellipsis, for one-line reasons.
func shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// layoutSpacer pushes the objects after it to the far end of a box.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// newPasswordEntry is a password field whose dots come from the Latin
// monospace font: a CJK font's bullet is full width, spreading them out.
func newPasswordEntry() *widget.Entry {
	e := widget.NewPasswordEntry()
	e.TextStyle = fyne.TextStyle{Monospace: true}
	return e
}
