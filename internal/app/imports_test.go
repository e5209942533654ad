package app

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/djembe/djembe"

// pluginNames are the plugins, listed or to come: a package of any layer
// named after one (domain/music, web/movies, ...) belongs to that plugin.
var pluginNames = []string{"music", "movies", "backup"}

// packageImports lists every package of the module with its imports (not
// its tests'), as `go list` sees them.
func packageImports(t *testing.T) map[string][]string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		pkgs[f[0]] = f[1:]
	}
	return pkgs
}

// pluginOf is the plugin a package belongs to, "" for a generic package.
func pluginOf(pkg string) string {
	for _, part := range strings.Split(strings.TrimPrefix(pkg, module+"/"), "/") {
		if slices.Contains(pluginNames, part) {
			return part
		}
	}
	return ""
}

func isStd(imp string) bool { return !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") }

// TestDependenciesPointInward checks the layering DESIGN.md asks for:
// domain (and its subpackages) imports only the standard library, uuid and
// domain; no generic package imports a plugin, except the wiring
// (internal/app, cmd); no plugin imports another plugin.
func TestDependenciesPointInward(t *testing.T) {
	pkgs := packageImports(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	for pkg, imports := range pkgs {
		rel := strings.TrimPrefix(pkg, module+"/")
		inDomain := rel == "domain" || strings.HasPrefix(rel, "domain/")
		wiring := rel == "internal/app" || strings.HasPrefix(rel, "cmd/")
		for _, imp := range imports {
			switch {
			case inDomain && !isStd(imp) && imp != "github.com/google/uuid" && !strings.HasPrefix(imp, module+"/domain"):
				t.Errorf("%s imports %s: domain may import only the standard library, uuid and domain", pkg, imp)
			case pluginOf(imp) != "" && pluginOf(pkg) == "" && !wiring:
				t.Errorf("%s imports plugin package %s: generic packages never import a plugin", pkg, imp)
			case pluginOf(imp) != "" && pluginOf(pkg) != "" && pluginOf(imp) != pluginOf(pkg):
				t.Errorf("plugin package %s imports %s of another plugin", pkg, imp)
			}
		}
	}
}

var appendCall = regexp.MustCompile(`\.Append(Async)?\(`)

// TestNoAppendInCmd checks that the CLI changes state only through the
// write side: no event is appended in cmd/.
func TestNoAppendInCmd(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	err := filepath.WalkDir(filepath.Join(root, "cmd"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for i, line := range strings.Split(string(b), "\n") {
			if appendCall.MatchString(line) && !strings.Contains(line, "append(") {
				t.Errorf("%s:%d appends to the log: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
