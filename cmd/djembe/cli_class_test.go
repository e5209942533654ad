package main

import (
	"strings"
	"testing"
)

// `user class NAME CLASS` sets a class as the operator (who may set any),
// the class named in any case with spaces (quoted or not) or underscores;
// `user show` shows it. An unknown class is refused listing the classes,
// the class a user has already as nothing to change, and neither appends.
func TestUserClassCommand(t *testing.T) {
	data := dataDir(t)
	if added := decode(t, djembe(t, "", "user", "add", "alice", "--admin", "--data", data)); added["class"] != "administrator" || added["admin"] != true {
		t.Fatalf("user add --admin printed %v", added)
	}
	if added := decode(t, djembe(t, "", "user", "add", "bob", "--data", data)); added["class"] != "user" || added["admin"] != false {
		t.Fatalf("user add printed %v", added)
	}
	for _, tc := range []struct {
		args        []string
		class       string
		staff, show bool
	}{
		{[]string{"bob", "power", "user"}, "power_user", false, false},
		{[]string{"BOB", "Torrent_Master"}, "torrent_master", false, true},
		{[]string{"bob", "MODERATOR"}, "moderator", true, true},
		{[]string{"alice", "vip"}, "vip", false, true},
	} {
		got := decode(t, djembe(t, "", append(append([]string{"user", "class"}, tc.args...), "--data", data)...))
		if got["class"] != tc.class || got["staff"] != tc.staff || got["event"] != "UserClassSet" {
			t.Errorf("user class %v printed %v; want class %s, staff %v", tc.args, got, tc.class, tc.staff)
		}
	}
	shown := decode(t, djembe(t, "", "user", "show", "bob", "--data", data))
	if shown["class"] != "moderator" || shown["admin"] != true {
		t.Errorf("user show bob: %v", shown)
	}

	before := logLength(t, data)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bob", "wizard"}, `no class is called "wizard": choose one of User, Member, Power User, Elite, Torrent Master, VIP, Moderator, Administrator`},
		{[]string{"bob", "moderator"}, "nothing to change: bob is a Moderator already"},
		{[]string{"nobody", "vip"}, `no user named "nobody"`},
		{[]string{"bob"}, "usage: djembe user class NAME CLASS"},
	} {
		r := djembe(t, "", append(append([]string{"user", "class"}, tc.args...), "--data", data)...)
		if r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("user class %v: exit %d, %q; want exit %d saying %q", tc.args, r.code, r.stderr, exitInput, tc.want)
		}
	}
	if after := logLength(t, data); after != before {
		t.Fatalf("refused class changes appended %d events", after-before)
	}
}
