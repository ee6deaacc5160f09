// Carepool's card page: mounts Stripe's Payment Element (setup mode: the card is saved,
// nothing is charged) into #card-element, with the SetupIntent's client secret from the
// page. This is the only script on Carepool, and only this page loads it: the card
// number must be typed into Stripe's own frame, so that it never reaches Carepool.
//
// Stripe sends the browser back to the page's return URL after confirming. That proves
// nothing: the pledge counts only when Stripe's webhook tells the server.
(function () {
  "use strict";

  var form = document.getElementById("card-form");
  var problem = document.getElementById("card-problem");
  if (!form) {
    return;
  }
  var key = form.getAttribute("data-publishable-key");
  var secret = form.getAttribute("data-client-secret");
  var returnURL = form.getAttribute("data-return-url");
  // Without Stripe.js (blocked, offline) or a key, say so; the page still offers paying
  // by invoice instead.
  if (typeof window.Stripe !== "function" || !key || !secret) {
    if (problem) {
      problem.hidden = false;
    }
    return;
  }

  var stripe = window.Stripe(key);
  var elements = stripe.elements({
    clientSecret: secret,
    // GOV.UK Frontend's look, so the frame fits the page: its font, colours and focus.
    appearance: {
      theme: "stripe",
      variables: {
        fontFamily: "arial, sans-serif",
        fontSizeBase: "19px",
        colorPrimary: "#1d70b8",
        colorText: "#0b0c0c",
        colorDanger: "#d4351c",
        borderRadius: "0px"
      },
      rules: {
        ".Input": { border: "2px solid #0b0c0c" },
        ".Input:focus": { boxShadow: "inset 0 0 0 2px #0b0c0c", outline: "3px solid #ffdd00" }
      }
    }
  });
  var payment = elements.create("payment");
  payment.mount("#card-element");
  form.hidden = false;

  var message = document.getElementById("card-message");
  var button = document.getElementById("card-submit");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    stripe.confirmSetup({ elements: elements, confirmParams: { return_url: returnURL } }).then(function (result) {
      // Reached only when Stripe could not confirm; on success it goes to returnURL.
      if (result.error) {
        message.textContent = result.error.message || "Your card could not be saved. Check the details and try again.";
        message.hidden = false;
        button.disabled = false;
      }
    });
  });
})();
