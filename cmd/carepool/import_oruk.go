package main

import (
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/openreferral"
)

// mountOpenReferral mounts the read-only Open Referral UK API at /openreferral/v3 and the
// claim routes of imported organisations at /api/v1.
func (m *Main) mountOpenReferral(e *echo.Echo) {
	openreferral.NewHandler(openreferral.Config{
		Directory: marketplace.NewOpenDirectory(store.NewMarketplace(m.DB)),
		Claims:    account.NewClaims(store.NewAccounts(m.DB), nil),
		BaseURL:   m.Config.BaseURL,
	}).Register(e)
}
