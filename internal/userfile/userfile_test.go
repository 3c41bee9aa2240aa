package userfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// readWithin runs Read and fails the test instead of hanging when it blocks.
func readWithin(t *testing.T, path string, limit int64) ([]byte, error) {
	t.Helper()
	type res struct {
		data []byte
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		d, err := Read(path, limit)
		ch <- res{d, err}
	}()
	select {
	case r := <-ch:
		return r.data, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Read(%s) still blocked after 5s", path)
		return nil, nil
	}
}

type readCase struct {
	name     string
	path     string
	wantErr  error
	wantWord string
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("name: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []readCase{
		{name: "regular file", path: small},
		{name: "missing", path: filepath.Join(dir, "nope"), wantErr: fs.ErrNotExist, wantWord: "does not exist"},
		{name: "directory", path: dir, wantErr: ErrNotRegular, wantWord: "directory"},
		{name: "over the cap", path: big, wantErr: ErrTooLarge, wantWord: "larger than 1 KiB"},
	}
	if runtime.GOOS != "windows" {
		fifo := MakeFIFO(t, dir)
		tests = append(tests,
			readCase{"fifo without writer", fifo, ErrNotRegular, "FIFO"},
			readCase{"endless device", "/dev/zero", ErrNotRegular, "character device"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := readWithin(t, tt.path, 1024)
			if tt.wantErr == nil {
				if err != nil || string(data) != "name: x\n" {
					t.Fatalf("got %q, %v; want the content", data, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.path) || !strings.Contains(err.Error(), tt.wantWord) {
				t.Errorf("error %q does not name the path and say %q", err, tt.wantWord)
			}
		})
	}
}
