package account

// RequestTypes maps each request schema of openapi.json to the struct its handler decodes.
func RequestTypes() map[string]any {
	return map[string]any{
		"SignUpRequest":               signUpRequest{},
		"LogInRequest":                logInRequest{},
		"UpdateMeRequest":             updateMeRequest{},
		"CreateApiTokenRequest":       createTokenRequest{},
		"CreateOrganisationRequest":   createOrganisationRequest{},
		"UpdateOrganisationRequest":   updateOrganisationRequest{},
		"AddMemberRequest":            addMemberRequest{},
		"GrantDelegationRequest":      grantDelegationRequest{},
		"StatusChangeRequest":         statusChangeRequest{},
		"TokenRequest":                tokenRequest{},
		"PasswordResetRequest":        passwordResetRequest{},
		"PasswordResetConfirmRequest": passwordResetConfirmRequest{},
	}
}

// ResponseTypes maps each response schema of openapi.json to the struct its handler encodes.
func ResponseTypes() map[string]any {
	return map[string]any{
		"Session":            sessionJSON{},
		"User":               userJSON{},
		"Membership":         membershipJSON{},
		"ApiToken":           tokenJSON{},
		"OrganisationPublic": organisationPublicJSON{},
		"StatusChange":       statusChangeJSON{},
		"Member":             memberJSON{},
		"Person":             personJSON{},
		"Delegation":         delegationJSON{},
		"EmailVerified":      verifiedJSON{},
		"FailedMail":         failedMailJSON{},
	}
}
