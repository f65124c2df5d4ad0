/// `/`: the page's markup. Styles and behaviour live in `/assets/style.css` and `/assets/app.js`
/// (the Content-Security-Policy allows nothing inline and nothing from elsewhere).
let pageHTML = #"""
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>orderhub</title>
  <link rel="stylesheet" href="/assets/style.css">
  <script src="/assets/app.js" defer></script>
</head>
<body>
  <header class="top">
    <h1>orderhub</h1>
    <p class="tagline">Orders and payments, live. Every action here is one call to the REST gateway.</p>
    <div id="session" class="session" hidden>
      Signed in as <strong id="signed-in-as"></strong>
      <button type="button" id="sign-out" class="secondary">Sign out</button>
    </div>
  </header>

  <main>
    <div id="error" class="banner banner-error" role="alert" hidden></div>
    <div id="notice" class="banner banner-notice" role="status" aria-live="polite" hidden></div>

    <section id="sign-in" class="card sign-in" aria-labelledby="sign-in-title" hidden>
      <h2 id="sign-in-title">Sign in</h2>
      <form id="sign-in-form" novalidate>
        <div class="field">
          <label for="sign-in-customer">Customer id</label>
          <input id="sign-in-customer" name="customerId" value="web-customer" required maxlength="64" autocomplete="username">
        </div>
        <p class="help">Local sign-in: any customer id, no password. You see and act on that customer's orders only.</p>
        <button type="submit" id="sign-in-submit">Sign in</button>
      </form>
    </section>

    <div id="app" class="columns" hidden>
      <section class="card" aria-labelledby="create-title">
        <h2 id="create-title">New order</h2>
        <form id="create-form" novalidate>
          <fieldset class="items">
            <legend>Items</legend>
            <div id="items"></div>
            <button type="button" id="add-item" class="secondary">Add item</button>
          </fieldset>

          <div class="row">
            <div class="field">
              <label for="currency">Currency</label>
              <select id="currency" name="currency">
                <option>EUR</option><option>USD</option><option>GBP</option><option>CHF</option><option>JPY</option>
              </select>
            </div>
            <div class="field">
              <label for="token">Test payment</label>
              <select id="token" name="token" aria-describedby="token-help">
                <option value="tok_approve">Approve (tok_approve)</option>
                <option value="tok_decline">Decline (tok_decline)</option>
                <option value="tok_random">Random (tok_random)</option>
              </select>
            </div>
          </div>
          <p id="token-help" class="help">Test tokens decide the payment: approve, decline, or let the mock processor choose.</p>
          <button type="submit" id="place-order">Place order</button>
        </form>
      </section>

      <section class="card" aria-labelledby="orders-title">
        <div class="card-head">
          <h2 id="orders-title">Orders</h2>
          <button type="button" id="refresh" class="secondary">Refresh</button>
        </div>
        <form id="lookup-form" class="lookup" role="search" novalidate>
          <label for="lookup-id">Find an order by id</label>
          <div class="lookup-row">
            <input id="lookup-id" name="id" placeholder="e.g. 0b9f…" autocomplete="off" spellcheck="false">
            <button type="submit" id="lookup-submit" class="secondary">Find</button>
          </div>
        </form>
        <p id="empty" class="empty">No orders yet. Place one with the form.</p>
        <ul id="orders" class="orders" aria-live="polite" aria-relevant="additions text"></ul>
      </section>
    </div>
  </main>

  <footer class="foot">
    <a href="/openapi.json">API description (OpenAPI)</a> · <a href="/healthz">Health</a>
  </footer>

  <template id="item-template">
    <div class="item-row">
      <div class="field grow">
        <label>Item (sku)</label>
        <input name="sku" required maxlength="64" autocomplete="off">
      </div>
      <div class="field narrow">
        <label>Quantity</label>
        <input name="quantity" type="number" min="1" step="1" value="1" required>
      </div>
      <div class="field narrow">
        <label>Price (cents)</label>
        <input name="price" type="number" min="0" step="1" value="1000" required>
      </div>
      <button type="button" class="remove-item" aria-label="Remove this item" title="Remove this item">✕</button>
    </div>
  </template>
</body>
</html>
"""#
