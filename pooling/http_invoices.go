package pooling

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

func (h *Handler) registerInvoices(g *echo.Group) {
	g.GET("/invoices", h.invoices)
	g.GET("/invoices/:id", h.invoice)
	g.POST("/invoices/:id/payments", h.recordPayment)
	g.POST("/invoices/:id/payments/:payment/approve", h.approvePayment)
	g.POST("/invoices/:id/credit-notes", h.creditNote)
	g.GET("/organisations/:id/exports/invoices", h.exportInvoices)
	g.GET("/organisations/:id/exports/ledger", h.exportLedger)
}

func (h *Handler) invoices(c echo.Context) error {
	if err := web.OnlyParams(c.QueryParams(), "provider_id", "payer_id", "pool_id", "unpaid", "overdue"); err != nil {
		return err
	}
	q := c.QueryParams()
	f := InvoiceFilter{ProviderID: q.Get("provider_id"), PayerID: q.Get("payer_id"), PoolID: q.Get("pool_id")}
	var fields apperr.Fields
	f.Unpaid = boolQuery(&fields, q.Get("unpaid"), "unpaid")
	f.Overdue = boolQuery(&fields, q.Get("overdue"), "overdue")
	if err := fields.Err(); err != nil {
		return err
	}
	invs, err := h.svc.Invoices(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return list(c, invs)
}

func (h *Handler) invoice(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	v, err := h.svc.Invoice(c.Request().Context(), c.Param("id"))
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) recordPayment(c echo.Context) error {
	var in PaymentInput
	key, err := keyedRequest(c, &in, false)
	if err != nil {
		return err
	}
	v, err := h.svc.RecordPayment(c.Request().Context(), c.Param("id"), in, key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) approvePayment(c echo.Context) error {
	key, err := requireKey(c)
	if err != nil {
		return err
	}
	v, err := h.svc.ApprovePayment(c.Request().Context(), c.Param("id"), c.Param("payment"), key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) creditNote(c echo.Context) error {
	var in CreditNoteInput
	key, err := keyedRequest(c, &in, false)
	if err != nil {
		return err
	}
	v, err := h.svc.IssueCreditNote(c.Request().Context(), c.Param("id"), in, key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

// boolQuery reads an optional true/false query parameter.
func boolQuery(f *apperr.Fields, v, name string) bool {
	switch v {
	case "", "false":
		return false
	case "true":
		return true
	}
	f.Add(name, "must be true or false")
	return false
}

func (h *Handler) exportInvoices(c echo.Context) error {
	return h.export(c, "invoices", h.svc.ExportInvoices)
}

func (h *Handler) exportLedger(c echo.Context) error {
	return h.export(c, "ledger", h.svc.ExportLedger)
}

// export writes an accountant's CSV of one organisation's books for a period.
func (h *Handler) export(c echo.Context, what string,
	rows func(ctx context.Context, orgID string, p ExportPeriod) ([]ExportRow, error)) error {
	q := c.QueryParams()
	if err := web.OnlyParams(q, "from", "to"); err != nil {
		return err
	}
	if err := account.ActorFrom(c.Request().Context()).RequireUser(); err != nil {
		return err
	}
	p, err := ParseExportPeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	rs, err := rows(c.Request().Context(), c.Param("id"), p)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="carepool-%s-%s-%s.csv"`,
		what, q.Get("from"), q.Get("to")))
	res.WriteHeader(http.StatusOK)
	return WriteExportCSV(res, rs)
}
