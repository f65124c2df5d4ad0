import Testing
@testable import Orders

@Suite("Create-order validation")
struct OrderDraftTests {
    static func request(
        customerID: String = "cust-1", items: [OrderLine] = [OrderLine(sku: "sku-1", quantity: 2, unitPriceCents: 250)],
        currency: String = "EUR", paymentToken: String = "tok_approve", requestID: String = ""
    ) -> OrderRequest {
        OrderRequest(customerID: customerID, items: items, currency: currency, paymentToken: paymentToken, requestID: requestID)
    }

    func field(of request: OrderRequest) -> String? {
        do {
            _ = try OrderDraft(validating: request)
            return nil
        } catch {
            guard case .invalidArgument(let field, _) = error else { return "unexpected \(error)" }
            return field
        }
    }

    @Test func validRequestHasItsTotal() throws {
        let draft = try OrderDraft(
            validating: Self.request(items: [
                OrderLine(sku: "a", quantity: 2, unitPriceCents: 250), OrderLine(sku: "b", quantity: 1, unitPriceCents: 0),
            ]))
        #expect(draft.totalCents == 500)
        #expect(draft.requestID == nil)
    }

    @Test func itemCountIsOneToHundred() {
        let line = OrderLine(sku: "s", quantity: 1, unitPriceCents: 1)
        #expect(field(of: Self.request(items: [])) == "items")
        #expect(field(of: Self.request(items: Array(repeating: line, count: 100))) == nil)
        #expect(field(of: Self.request(items: Array(repeating: line, count: 101))) == "items")
    }

    @Test func quantityAtLeastOne() {
        #expect(field(of: Self.request(items: [OrderLine(sku: "s", quantity: 0, unitPriceCents: 1)])) == "items[0].quantity")
        #expect(
            field(of: Self.request(items: [.init(sku: "s", quantity: 1, unitPriceCents: 1), .init(sku: "t", quantity: -3, unitPriceCents: 1)]))
                == "items[1].quantity")
    }

    @Test func pricesNotNegative() {
        #expect(field(of: Self.request(items: [OrderLine(sku: "s", quantity: 1, unitPriceCents: -1)])) == "items[0].unit_price_cents")
        #expect(field(of: Self.request(items: [OrderLine(sku: "s", quantity: 1, unitPriceCents: 0)])) == nil)
    }

    @Test func totalOverflowIsRefused() {
        #expect(field(of: Self.request(items: [OrderLine(sku: "s", quantity: 2, unitPriceCents: .max / 2 + 1)])) == "items")
        #expect(
            field(
                of: Self.request(items: [
                    OrderLine(sku: "s", quantity: 1, unitPriceCents: .max), OrderLine(sku: "t", quantity: 1, unitPriceCents: 1),
                ])) == "items")
        #expect(field(of: Self.request(items: [OrderLine(sku: "s", quantity: 1, unitPriceCents: .max)])) == nil)
    }

    @Test(arguments: ["EUR", "USD", "JPY", "CHF"])
    func knownCurrencies(code: String) {
        #expect(field(of: Self.request(currency: code)) == nil)
    }

    @Test(arguments: ["", "eur", "EURO", "EU", "XYZ", "E1R", "ÉUR", "XAU", " EU"])
    func unknownCurrencies(code: String) {
        #expect(field(of: Self.request(currency: code)) == "currency")
    }

    @Test func idsAreOneTo64Bytes() {
        let max = String(repeating: "a", count: 64)
        let over = String(repeating: "a", count: 65)
        #expect(field(of: Self.request(customerID: max)) == nil)
        #expect(field(of: Self.request(customerID: over)) == "customer_id")
        #expect(field(of: Self.request(customerID: "")) == "customer_id")
        // Bytes, not characters: 22 × "€" is 66 bytes.
        #expect(field(of: Self.request(customerID: String(repeating: "€", count: 22))) == "customer_id")
        #expect(field(of: Self.request(items: [OrderLine(sku: over, quantity: 1, unitPriceCents: 1)])) == "items[0].sku")
        #expect(field(of: Self.request(items: [OrderLine(sku: "", quantity: 1, unitPriceCents: 1)])) == "items[0].sku")
        #expect(field(of: Self.request(paymentToken: "")) == "payment_token")
        #expect(field(of: Self.request(requestID: over)) == "request_id")
        #expect(field(of: Self.request(requestID: max)) == nil)
    }

    @Test(arguments: ["z\u{0}y", "tab\there", "line\n", "unit\u{1F}", "del\u{7F}", "c1\u{80}", "c1\u{85}", "c1\u{9F}", "café\u{85}", "名前\u{9F}x"])
    func controlCharactersInIDsAndSKUsAreRefused(text: String) {
        #expect(field(of: Self.request(customerID: text)) == "customer_id")
        #expect(field(of: Self.request(items: [OrderLine(sku: text, quantity: 1, unitPriceCents: 1)])) == "items[0].sku")
        #expect(field(of: Self.request(paymentToken: text)) == "payment_token")
        #expect(field(of: Self.request(requestID: text)) == "request_id")
    }

    @Test func printableUnicodeIsAllowed() {
        #expect(field(of: Self.request(customerID: "zoë-ünïcode 名前", items: [OrderLine(sku: "café ☕", quantity: 1, unitPriceCents: 1)])) == nil)
        #expect(field(of: Self.request(customerID: "space \u{20}~\u{7E} nbsp\u{A0}")) == nil, "the characters next to the control ranges")
    }

    @Test func messageNamesTheField() {
        #expect(throws: OrderError.invalidArgument(field: "items[0].quantity", problem: "must be at least 1, got 0")) {
            try OrderDraft(validating: Self.request(items: [OrderLine(sku: "s", quantity: 0, unitPriceCents: 1)]))
        }
    }

    @Test func fingerprintCoversThePayloadButNotTheKey() throws {
        let base = try OrderDraft(validating: Self.request(requestID: "k1"))
        #expect(try OrderDraft(validating: Self.request(requestID: "k2")).payloadHash == base.payloadHash)
        #expect(try OrderDraft(validating: Self.request(customerID: "cust-2", requestID: "k1")).payloadHash != base.payloadHash)
        #expect(try OrderDraft(validating: Self.request(currency: "USD")).payloadHash != base.payloadHash)
        #expect(try OrderDraft(validating: Self.request(paymentToken: "tok_decline")).payloadHash != base.payloadHash)
        #expect(
            try OrderDraft(validating: Self.request(items: [OrderLine(sku: "sku-1", quantity: 3, unitPriceCents: 250)])).payloadHash
                != base.payloadHash)
        // Field boundaries matter: "ab"+"c" differs from "a"+"bc".
        let left = try OrderDraft(validating: Self.request(customerID: "ab", currency: "EUR", paymentToken: "c"))
        let right = try OrderDraft(validating: Self.request(customerID: "a", currency: "EUR", paymentToken: "bc"))
        #expect(left.payloadHash != right.payloadHash)
    }

    /// Stored idempotency keys carry this hash: its text must not change between releases.
    @Test func fingerprintIsLowerCaseHexOfSHA256OverLengthPrefixedFields() throws {
        let draft = try OrderDraft(validating: Self.request())
        #expect(draft.payloadHash == "973f999248fda9bf7d9153f3cc14f734e9bde684ef400c85ec3bd6790ce9ea77")
    }

    @Test func orderIDsAreVersion7UUIDsWithTheMillisecondsFirst() {
        var generator = FixedWords(words: [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210])
        let id = OrderIdentifier.make(now: 1_700_000_000_123, using: &generator)
        #expect(id == "018bcfe5-687b-7301-afcd-ab7698badcfe")
    }
}

/// A "random" generator that returns the given words in turn.
private struct FixedWords: RandomNumberGenerator {
    var words: [UInt64]
    var position = 0

    mutating func next() -> UInt64 {
        defer { position += 1 }
        return words[position % words.count]
    }
}
