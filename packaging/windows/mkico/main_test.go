package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestEncodeICO(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 300; x++ {
			src.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	sizes := []int{16, 48, 256}
	ico, err := encodeICO(src, sizes)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if reserved, kind, count := le.Uint16(ico[0:]), le.Uint16(ico[2:]), le.Uint16(ico[4:]); reserved != 0 || kind != 1 || int(count) != len(sizes) {
		t.Fatalf("header %d %d %d, want 0 1 %d", reserved, kind, count, len(sizes))
	}
	for i, n := range sizes {
		e := ico[6+16*i:]
		w, h := int(e[0]), int(e[1])
		if w == 0 {
			w = 256
		}
		if h == 0 {
			h = 256
		}
		size, offset := le.Uint32(e[8:]), le.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(ico[offset : offset+size]))
		if err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
		if b := img.Bounds(); w != n || h != n || b.Dx() != n || b.Dy() != n {
			t.Errorf("image %d: entry %dx%d, PNG %v, want %d", i, w, h, b, n)
		}
		if bpp := le.Uint16(e[6:]); bpp != 32 {
			t.Errorf("image %d: %d bits per pixel", i, bpp)
		}
	}
	again, _ := encodeICO(src, sizes)
	if !bytes.Equal(ico, again) {
		t.Error("the same picture gave two different icons")
	}
}
