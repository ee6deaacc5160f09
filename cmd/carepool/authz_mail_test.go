package main

import (
	"fmt"
	"testing"
)

// authzMailRows are the routes of address verification, password reset and failed
// emails. The token routes need no session (the token is the proof), so every role gets
// the same answer to a wrong token; a reset request is answered the same for any address.
func authzMailRows() []authzRow {
	return []authzRow{
		{route: "POST /api/v1/account/verify-email", target: "wrong token", path: "/api/v1/account/verify-email",
			want: "422 422 422 422 422 422 422 422 422", body: authzConst(map[string]string{"token": "not-a-token"})},
		{route: "POST /api/v1/me/verification-email", target: "self", path: "/api/v1/me/verification-email",
			want: "401 202 202 202 202 202 202 202 202"},
		{route: "POST /api/v1/password-resets", target: "unknown address", path: "/api/v1/password-resets",
			want: "202 202 202 202 202 202 202 202 202",
			body: func(_ testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]string{"email": fmt.Sprintf("nobody-%d@example.org", f.next())}
			}},
		{route: "POST /api/v1/password-resets/confirm", target: "wrong token", path: "/api/v1/password-resets/confirm",
			want: "422 422 422 422 422 422 422 422 422",
			body: authzConst(map[string]string{"token": "not-a-token", "password": "a long enough password"})},
		{route: "GET /api/v1/admin/mail-failures", target: "all", path: "/api/v1/admin/mail-failures", want: authzAdminOnly},
		// A wrong current password for everyone: the matrix changes no one's password.
		{route: "POST /api/v1/me/password", target: "self, wrong password", path: "/api/v1/me/password",
			want: "401 422 422 422 422 422 422 422 422", body: authzConst(map[string]string{"current_password": "not the password", "new_password": "another long password"})},
		// A wrong password for everyone: the matrix changes no one's address.
		{route: "POST /api/v1/me/email", target: "self, wrong password", path: "/api/v1/me/email",
			want: "401 422 422 422 422 422 422 422 422", body: authzConst(map[string]string{"email": "moved@example.org", "password": "not the password"})},
	}
}
