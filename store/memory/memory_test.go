package memory_test

import (
	"testing"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memory.New() })
}

func TestBlobConformance(t *testing.T) {
	storetest.RunBlob(t, func(t *testing.T) blob.Store { return memory.NewBlobs() })
}
