// Command mkico turns the app icon (a large PNG) into a Windows .ico with
// the sizes Explorer, the taskbar and the Start menu ask for. Every size
// is stored as PNG, which Windows reads since Vista. The output depends
// only on the input: make windows rebuilds it rather than keeping a
// generated binary in the repository.
//
//	go run ./packaging/windows/mkico -o bin/mailsetup.ico assets/icon.png
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"

	"golang.org/x/image/draw"
)

// sizes are the square sizes in the icon, small to large.
var sizes = []int{16, 20, 24, 32, 40, 48, 64, 256}

func main() {
	out := flag.String("o", "", "write the icon to `FILE`")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mkico -o FILE.ico ICON.png")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkico:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	ico, err := encodeICO(src, sizes)
	if err != nil {
		return err
	}
	return os.WriteFile(out, ico, 0o644)
}

// encodeICO scales src to each size and writes the ICONDIR structure:
// a 6-byte header, one 16-byte entry per image, then the PNG images.
func encodeICO(src image.Image, sizes []int) ([]byte, error) {
	images := make([][]byte, len(sizes))
	for i, n := range sizes {
		dst := image.NewNRGBA(image.Rect(0, 0, n, n))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		var b bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, dst); err != nil {
			return nil, err
		}
		images[i] = b.Bytes()
	}
	var b bytes.Buffer
	le := binary.LittleEndian
	write := func(v any) { binary.Write(&b, le, v) }
	write([3]uint16{0, 1, uint16(len(sizes))}) // reserved, type 1 = icon, count
	offset := 6 + 16*len(sizes)
	for i, n := range sizes {
		dim := uint8(n)
		if n >= 256 {
			dim = 0 // 0 stands for 256
		}
		write([4]uint8{dim, dim, 0, 0}) // width, height, palette size, reserved
		write([2]uint16{1, 32})         // colour planes, bits per pixel
		write([2]uint32{uint32(len(images[i])), uint32(offset)})
		offset += len(images[i])
	}
	for _, img := range images {
		b.Write(img)
	}
	return b.Bytes(), nil
}
