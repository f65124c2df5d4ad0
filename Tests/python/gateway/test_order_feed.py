"""The order feed over REST (GET /v1/orders:watch) with a real HTTP client against `orderhub
serve`: Server-Sent Events whose ids are cursors, resumed with Last-Event-ID or afterCursor
with nothing missed and nothing repeated, and bad cursors refused with 400 before any stream."""
import http.client
import json
import queue
import threading
import urllib.parse

DELIVERY_DELAY = 1


class EventStream:
    """One SSE response read on a thread: (id, data) pairs into a queue."""

    def __init__(self, gateway, path, headers):
        url = urllib.parse.urlsplit(gateway.url)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.connection.request("GET", path, headers=headers)
        self.response = self.connection.getresponse()
        self.events = queue.Queue()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = {}
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line == "":
                    if "data" in event:
                        self.events.put((event.get("id"), json.loads(event["data"])))
                    event = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    event[name] = value
        except (OSError, ValueError):
            pass

    def take(self, count):
        return [self.events.get(timeout=60) for _ in range(count)]

    def close(self):
        self.connection.close()


def create(gateway, token, payment_token):
    status, _, order = gateway.call("POST", "/v1/orders", {
        "items": [{"sku": "feed-tea", "quantity": 1, "unitPriceCents": "300"}], "currency": "EUR", "paymentToken": payment_token,
    }, token=token)
    assert status == 201, order
    return order["id"]


def test_feed_resumes_with_last_event_id_and_after_cursor(gateway):
    token = gateway.sign_in("feed-alice")
    auth = {"Authorization": f"Bearer {token}"}
    stream = EventStream(gateway, "/v1/orders:watch", auth)
    assert stream.response.status == 200
    assert stream.response.getheader("Content-Type") == "text/event-stream"
    first = create(gateway, token, "tok_decline")
    second = create(gateway, token, "tok_decline")
    events = stream.take(4)
    stream.close()
    by_order = {}
    for _, data in events:
        by_order.setdefault(data["order"]["id"], []).append(data["order"]["state"])
    assert by_order == {first: ["ORDER_STATE_CREATED", "ORDER_STATE_CANCELLED"],
                        second: ["ORDER_STATE_CREATED", "ORDER_STATE_CANCELLED"]}
    assert all(event_id == data["cursor"] for event_id, data in events)
    assert len({event_id for event_id, _ in events}) == 4

    # A reconnect as EventSource makes it: the first URL again, with Last-Event-ID, which wins.
    resumed = EventStream(gateway, f"/v1/orders:watch?afterCursor={events[0][0]}", {**auth, "Last-Event-ID": events[1][0]})
    assert resumed.take(2) == events[2:]
    resumed.close()
    # afterCursor alone, with the token in the query as the page sends it.
    query = EventStream(gateway, f"/v1/orders:watch?afterCursor={events[2][0]}&access_token={token}", {})
    assert query.take(1) == events[3:]
    query.close()
    # Another customer's feed has none of these.
    bob = gateway.sign_in("feed-bob")
    other = EventStream(gateway, f"/v1/orders:watch?afterCursor={events[0][0]}", {"Authorization": f"Bearer {bob}"})
    mine = create(gateway, bob, "tok_decline")
    assert other.take(1)[0][1]["order"]["id"] == mine
    other.close()


def test_bad_cursors_are_400_before_any_stream(gateway):
    token = gateway.sign_in("feed-alice")
    status, headers, body = gateway.call("GET", "/v1/orders:watch?afterCursor=nonsense", token=token)
    assert status == 400 and body["code"] == 3, body
    status, _, body = gateway.call("GET", "/v1/orders:watch", headers={"Last-Event-ID": "AAAAAAAAAAAA"}, token=token)
    assert status == 400 and body["code"] == 3, body
    status, _, body = gateway.call("GET", "/v1/orders:watch?customerId=someone-else", token=token)
    assert status == 403, body
    status, headers, _ = gateway.call("GET", "/v1/orders:watch")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
