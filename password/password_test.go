package password

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashAndVerify(t *testing.T) {
	h := Hasher{Params: Params{Memory: 1024, Time: 1, Threads: 1}}
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$") || strings.Contains(hash, "correct horse") {
		t.Fatalf("hash = %q", hash)
	}
	other, _ := h.Hash("correct horse")
	if other == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"correct horse": true, "correct horsE": false, "": false} {
		if ok, err := h.Verify(hash, pw); ok != want || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
}

func TestVerifyBcrypt(t *testing.T) {
	b, _ := bcrypt.GenerateFromPassword([]byte("imported1"), bcrypt.MinCost)
	var h Hasher
	if ok, err := h.Verify(string(b), "imported1"); !ok || err != nil {
		t.Errorf("bcrypt Verify = %v, %v", ok, err)
	}
	if ok, _ := h.Verify(string(b), "imported2"); ok {
		t.Error("bcrypt Verify accepted a wrong password")
	}
}

func TestVerifyRejectsGarbage(t *testing.T) {
	var h Hasher
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$a$b", "$argon2i$v=19$m=1,t=1,p=1$YQ$YQ"} {
		if ok, err := h.Verify(bad, "pw"); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}
