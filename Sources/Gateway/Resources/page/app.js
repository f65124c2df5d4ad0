"use strict";

// Order states as the API writes them, and what the page shows.
const STATE_LABELS = {
  ORDER_STATE_UNSPECIFIED: "unknown",
  ORDER_STATE_CREATED: "created",
  ORDER_STATE_CONFIRMED: "confirmed",
  ORDER_STATE_DELIVERED: "delivered",
  ORDER_STATE_CANCELLED: "cancelled",
};
const STATE_RANK = { ORDER_STATE_CREATED: 1, ORDER_STATE_CONFIRMED: 2, ORDER_STATE_DELIVERED: 3, ORDER_STATE_CANCELLED: 3 };
const FINAL_STATES = new Set(["ORDER_STATE_DELIVERED", "ORDER_STATE_CANCELLED"]);
const CANCELLABLE_STATES = new Set(["ORDER_STATE_CREATED", "ORDER_STATE_CONFIRMED"]);
const CANCEL_REASONS = {
  CANCEL_REASON_USER_REQUESTED: "Cancelled at the customer's request",
  CANCEL_REASON_PAYMENT_DECLINED: "Payment declined",
  CANCEL_REASON_PAYMENT_TIMEOUT: "Payment timed out",
};
const CODE_NAMES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
  "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
  "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"];
const CODE_TITLES = {
  INVALID_ARGUMENT: "Please check the order", NOT_FOUND: "Not found", ALREADY_EXISTS: "Already exists",
  FAILED_PRECONDITION: "Not possible now", UNAVAILABLE: "The service is unavailable",
  DEADLINE_EXCEEDED: "The service took too long", RESOURCE_EXHAUSTED: "Too much at once",
};

// The signed-in customer ({token, customerId, expiresAt}), kept for this tab only.
const SESSION_KEY = "orderhub.session";
let session = null;

const orders = new Map();   // id → order, as the API last described it
let feed = null;            // the EventSource on the order feed, while signed in

/** A failed API call, with a message a person can act on. */
class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static from(status, body) {
    if (body && typeof body.code === "number") {
      const name = CODE_NAMES[body.code] || `code ${body.code}`;
      const title = CODE_TITLES[name] || "The request failed";
      return new ApiError(`${title}: ${body.message} (${name}, HTTP ${status})`, status, name);
    }
    return new ApiError(`The request failed with HTTP ${status}.`, status, null);
  }
}

async function api(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (session) init.headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError("The gateway cannot be reached. Is orderhub running?", 0, "UNAVAILABLE");
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (error) { data = null; }
  if (response.status === 401 && session) {
    signOut();
    throw new ApiError("Your sign-in has expired or is not valid any more. Please sign in again.", 401, "UNAUTHENTICATED");
  }
  if (!response.ok) throw ApiError.from(response.status, data);
  return data;
}

// --- session --------------------------------------------------------------------------------

function storedSession() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (stored && stored.token && stored.customerId && Date.parse(stored.expiresAt) > Date.now()) return stored;
  } catch (error) {
    // A damaged entry is as good as none.
  }
  sessionStorage.removeItem(SESSION_KEY);
  return null;
}

function showSession() {
  $("#sign-in").hidden = session !== null;
  $("#app").hidden = session === null;
  $("#session").hidden = session === null;
  $("#signed-in-as").textContent = session ? session.customerId : "";
}

async function signIn(event) {
  event.preventDefault();
  clearError();
  const customerId = $("#sign-in-customer").value.trim();
  if (!customerId) {
    showError("Type a customer id to sign in.");
    return;
  }
  const button = $("#sign-in-submit");
  button.disabled = true;
  try {
    const answer = await api("POST", "/v1/dev/sign-in", { customerId });
    session = { token: answer.token, customerId: answer.customerId, expiresAt: answer.expiresAt };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    showSession();
    follow();
    await loadOrders();
  } catch (error) {
    showError(error.status === 404 ? "This gateway offers no sign-in (it runs without --dev-sign-in)." : error.message);
  } finally {
    button.disabled = false;
  }
}

/** Forgets the token and everything shown for it. */
function signOut() {
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
  unfollow();
  orders.clear();
  $("#orders").replaceChildren();
  $("#empty").hidden = false;
  showSession();
}

// --- messages -------------------------------------------------------------------------------

const $ = (selector, root = document) => root.querySelector(selector);

function showError(message) {
  $("#notice").hidden = true;
  const banner = $("#error");
  banner.textContent = message;
  banner.hidden = false;
}

function clearError() {
  $("#error").hidden = true;
  $("#error").textContent = "";
}

function showNotice(message) {
  clearError();
  const banner = $("#notice");
  banner.textContent = message;
  banner.hidden = false;
}

// --- rendering ------------------------------------------------------------------------------

function formatMoney(cents, currency) {
  try {
    const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(Number(cents) / 10 ** digits);
  } catch (error) {
    return `${cents} ${currency} (minor units)`;
  }
}

function formatTime(millis) {
  const value = Number(millis);
  return value > 0 ? new Date(value).toLocaleTimeString() : "";
}

function renderOrder(order) {
  const state = STATE_LABELS[order.state] || String(order.state).toLowerCase();
  const item = document.createElement("li");
  item.className = "order";
  item.dataset.orderId = order.id;
  item.dataset.state = state;

  const main = document.createElement("div");
  const head = document.createElement("div");
  const badge = document.createElement("span");
  badge.className = `badge state ${state}`;
  badge.textContent = state;
  head.append(badge);
  if (feed && !FINAL_STATES.has(order.state)) {
    const live = document.createElement("span");
    live.className = "live";
    live.textContent = " ● live";
    head.append(live);
  }
  main.append(head);

  const lines = document.createElement("div");
  lines.className = "order-items";
  lines.textContent = (order.items || []).map((line) => `${line.quantity} × ${line.sku}`).join(", ") || "(no items)";
  main.append(lines);

  const meta = document.createElement("div");
  meta.className = "order-meta";
  const parts = [`Total ${formatMoney(order.totalCents, order.currency)}`, `customer ${order.customerId}`];
  if (formatTime(order.createdAt)) parts.push(`placed ${formatTime(order.createdAt)}`);
  if (order.state === "ORDER_STATE_CONFIRMED" && formatTime(order.deliverAt)) parts.push(`delivery at ${formatTime(order.deliverAt)}`);
  meta.textContent = parts.join(" · ");
  main.append(meta);

  if (order.state === "ORDER_STATE_CANCELLED") {
    const reason = document.createElement("div");
    reason.className = "cancel-reason";
    reason.textContent = CANCEL_REASONS[order.cancelReason] || "Cancelled";
    main.append(reason);
  }

  const id = document.createElement("div");
  id.className = "order-id";
  id.textContent = order.id;
  main.append(id);
  item.append(main);

  const side = document.createElement("div");
  side.className = "order-side";
  if (CANCELLABLE_STATES.has(order.state)) {
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "danger cancel";
    cancel.textContent = "Cancel";
    cancel.setAttribute("aria-label", `Cancel order ${order.id}`);
    cancel.addEventListener("click", () => cancelOrder(order.id, cancel));
    side.append(cancel);
  }
  item.append(side);
  return item;
}

/** Adds or replaces an order in the list, newest first, keeping any highlight. */
function upsert(order) {
  const previous = orders.get(order.id);
  // Events can overtake a slower fetch: never go back to an older version (a later state wins
  // a tie within one millisecond).
  if (previous && (Number(previous.updatedAt) > Number(order.updatedAt) ||
      (previous.updatedAt === order.updatedAt && STATE_RANK[previous.state] > STATE_RANK[order.state]))) return;
  orders.set(order.id, order);
  const list = $("#orders");
  const existing = list.querySelector(`li[data-order-id="${CSS.escape(order.id)}"]`);
  const fresh = renderOrder(order);
  if (existing) {
    if (existing.classList.contains("highlight")) fresh.classList.add("highlight");
    existing.replaceWith(fresh);
  } else {
    const next = [...list.children].find((li) => Number(orders.get(li.dataset.orderId)?.createdAt) < Number(order.createdAt));
    list.insertBefore(fresh, next || null);
  }
  $("#empty").hidden = orders.size > 0;
}

// --- live state: the order feed over Server-Sent Events ---------------------------------------

/**
 * Follows the order feed: every change to every order this customer may see, created here or
 * anywhere else (curl, a gRPC client), as it commits. One stream for the whole list.
 *
 * EventSource cannot send an Authorization header: the gateway takes the token from the query.
 * When the connection drops, EventSource reconnects by itself and sends the last event's id
 * (its cursor) as Last-Event-ID, so the feed resumes right after it: nothing missed, nothing
 * twice. If the gateway refuses the stream (EventSource then gives up), the page starts again
 * from now and reloads the list.
 */
function follow() {
  unfollow();
  if (!session) return;
  const source = new EventSource(`/v1/orders:watch?access_token=${encodeURIComponent(session.token)}`);
  feed = source;
  source.onmessage = (event) => upsert(JSON.parse(event.data).order);
  source.addEventListener("status", (event) => {
    const body = JSON.parse(event.data);
    // A consumer that fell behind is cut with RESOURCE_EXHAUSTED: the reconnect resumes it.
    if (CODE_NAMES[body.code] !== "RESOURCE_EXHAUSTED") showError(ApiError.from(200, body).message);
  });
  source.onerror = () => {
    if (source !== feed || source.readyState !== EventSource.CLOSED) return;
    // Refused (e.g. the token expired or the cursor is too old): start over after a pause.
    setTimeout(() => {
      if (source === feed && session) {
        follow();
        loadOrders();
      }
    }, 3000);
  };
}

function unfollow() {
  if (feed) feed.close();
  feed = null;
}

// --- actions --------------------------------------------------------------------------------

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function addItemRow(sku = "", quantity = 1, price = 1000) {
  const template = $("#item-template");
  const row = template.content.firstElementChild.cloneNode(true);
  const index = $("#items").children.length + 1;
  for (const input of row.querySelectorAll("input")) {
    input.id = `item-${index}-${input.name}`;
    input.previousElementSibling.htmlFor = input.id;
  }
  row.querySelector(".remove-item").setAttribute("aria-label", `Remove item ${index}`);
  row.querySelector("[name=sku]").value = sku;
  row.querySelector("[name=quantity]").value = quantity;
  row.querySelector("[name=price]").value = price;
  row.querySelector(".remove-item").addEventListener("click", () => {
    row.remove();
    updateRemoveButtons();
  });
  $("#items").append(row);
  updateRemoveButtons();
  return row;
}

/** An order needs at least one item: the only row cannot be removed. */
function updateRemoveButtons() {
  const rows = $("#items").children;
  for (const row of rows) row.querySelector(".remove-item").hidden = rows.length === 1;
}

async function placeOrder(event) {
  event.preventDefault();
  clearError();
  const button = $("#place-order");
  const items = [...document.querySelectorAll("#items .item-row")].map((row) => ({
    sku: row.querySelector("[name=sku]").value.trim(),
    quantity: Number(row.querySelector("[name=quantity]").value),
    unitPriceCents: String(row.querySelector("[name=price]").value.trim() || "0"),
  }));
  const body = {
    customerId: session.customerId,
    items,
    currency: $("#currency").value,
    paymentToken: $("#token").value,
  };
  button.disabled = true;
  try {
    const order = await api("POST", "/v1/orders", body, { "Idempotency-Key": newKey() });
    upsert(order);
    showNotice(`Order ${order.id} placed; its payment is on its way.`);
  } catch (error) {
    showError(error.message);
  } finally {
    button.disabled = false;
  }
}

async function cancelOrder(id, button) {
  clearError();
  button.disabled = true;
  try {
    const order = await api("POST", `/v1/orders/${encodeURIComponent(id)}:cancel`);
    upsert(order);
    showNotice(`Order ${id} is ${STATE_LABELS[order.state] || order.state}.`);
  } catch (error) {
    showError(error.message);
    button.disabled = false;
  }
}

async function lookUp(event) {
  event.preventDefault();
  clearError();
  const id = $("#lookup-id").value.trim();
  if (!id) {
    showError("Type an order id to look it up.");
    return;
  }
  try {
    const order = await api("GET", `/v1/orders/${encodeURIComponent(id)}`);
    for (const li of document.querySelectorAll("#orders li.highlight")) li.classList.remove("highlight");
    upsert(order);
    const item = $(`#orders li[data-order-id="${CSS.escape(order.id)}"]`);
    item.classList.add("highlight");
    item.scrollIntoView({ block: "nearest" });
  } catch (error) {
    showError(error.code === "NOT_FOUND" ? `No order has the id “${id}”. (NOT_FOUND, HTTP ${error.status})` : error.message);
  }
}

async function loadOrders() {
  try {
    const page = await api("GET", "/v1/orders?pageSize=50");
    for (const order of page.orders) upsert(order);
  } catch (error) {
    showError(error.message);
  }
  $("#empty").hidden = orders.size > 0;
}

document.addEventListener("DOMContentLoaded", () => {
  addItemRow("coffee-beans", 2, 1250);
  $("#add-item").addEventListener("click", () => addItemRow().querySelector("[name=sku]").focus());
  $("#create-form").addEventListener("submit", placeOrder);
  $("#lookup-form").addEventListener("submit", lookUp);
  $("#refresh").addEventListener("click", loadOrders);
  $("#sign-in-form").addEventListener("submit", signIn);
  $("#sign-out").addEventListener("click", () => {
    clearError();
    signOut();
  });
  session = storedSession();
  showSession();
  if (session) {
    follow();
    loadOrders();
  }
});
