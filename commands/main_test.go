package commands

import (
	"os"
	"testing"

	"github.com/djembe/djembe/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
