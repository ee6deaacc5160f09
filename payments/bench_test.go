package payments_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
)

// BenchmarkHandleWebhook measures one account.updated delivery end to end on the
// in-memory embedded engine: signature check, decoding, the event's record and the account's
// update in one transaction. Each iteration is a new event, a second newer than the last.
func BenchmarkHandleWebhook(b *testing.B) {
	e := openEnv(b, true)
	p := e.provider(b)
	rec := e.onboard(b, p)
	payloads := make([][]byte, b.N)
	headers := make([]string, b.N)
	for i := range payloads {
		acct := payments.Account{ID: rec.AccountID, ProviderID: p.ID, ChargesEnabled: i%2 == 0, PayoutsEnabled: true, DetailsSubmitted: true}
		payloads[i] = paymentstest.EventJSON(fmt.Sprintf("evt_bench_%d", i), "account.updated", epoch.Add(time.Duration(i+1)*time.Second),
			rec.AccountID, paymentstest.AccountObject(acct))
		headers[i] = paymentstest.Sign(secret, payloads[i], time.Now())
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if err := e.svc.HandleWebhook(ctx, payloads[i], headers[i]); err != nil {
			b.Fatal(err)
		}
	}
}
