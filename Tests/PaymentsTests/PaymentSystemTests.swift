import Testing
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import Payments

@Suite("Payments")
struct PaymentSystemTests {
    @Test func testTokensDecide() async throws {
        try await withPaymentSystem(config: .init(approvalRate: 0, seed: 1)) { payments in
            #expect(try await payments.charge("o1", token: "tok_approve").status == .approved)
            let declined = try await payments.charge("o2", token: "tok_decline")
            #expect(declined.status == .declined)
            #expect(declined.declineReason != nil)
            // Approval rate 0: every other token declines.
            #expect(try await payments.charge("o3", token: "tok_visa_1234").status == .declined)
        }
    }

    @Test(arguments: ["", "tok_", "tok", "card_123", "tok_has-dash", "tok_" + String(repeating: "a", count: 61), "tok_ü", " tok_a"])
    func malformedTokensAreInvalidArgument(token: String) async throws {
        try await withPaymentSystem { payments in
            await #expect(throws: PaymentError.self) { try await payments.charge("o1", token: token) }
            let stored = try await payments.store.payment(orderID: "o1")
            #expect(stored == nil)
        }
    }

    @Test(arguments: ["tok_a", "tok_" + String(repeating: "Z", count: 60), "tok_Visa_4242"])
    func wellFormedTokensAreAccepted(token: String) async throws {
        try await withPaymentSystem { payments in
            _ = try await payments.charge("o1", token: token)
        }
    }

    @Test func paymentIdsAreVersion7UUIDsInCreationOrder() async throws {
        try await withPaymentSystem { payments in
            var ids: [String] = []
            // Eight: random ids would come out sorted once in 40 320 runs.
            for index in 0..<8 {
                ids.append(try await payments.charge("o\(index)").id)
                // A new millisecond, so the ids' time prefixes differ.
                try await Task.sleep(for: .milliseconds(2))
            }
            for id in ids {
                #expect(id.count == 36)
                #expect(Array(id)[14] == "7", "UUID version 7: \(id)")
            }
            // New payments land at the end of the primary-key index.
            #expect(ids == ids.sorted())
        }
    }

    @Test func otherFieldsAreValidated() async throws {
        try await withPaymentSystem { payments in
            await #expect(throws: PaymentError.invalidArgument(field: "order_id", problem: "is required")) {
                try await payments.charge("")
            }
            await #expect(throws: PaymentError.self) { try await payments.charge("o1", amount: -1) }
            await #expect(throws: PaymentError.self) { try await payments.charge("o1", currency: "eur") }
            await #expect(throws: PaymentError.self) { try await payments.charge(String(repeating: "x", count: 65)) }
        }
    }

    @Test(arguments: ["o\u{0}1", "o\u{1F}", "\u{7F}o", "o\u{85}", "o\u{9F}"])
    func idsWithControlCharactersAreRefused(orderID: String) async throws {
        try await withPaymentSystem { payments in
            await #expect(throws: PaymentError.self) { try await payments.charge(orderID) }
            // Neighbours of the control ranges are ordinary characters.
            let accepted = try await payments.charge("o\u{20}\u{A0}é-\(orderID.unicodeScalars.count)")
            #expect(accepted.orderID.hasPrefix("o "))
        }
    }

    @Test func seededDecisionsAreReproducibleAndFollowTheRate() async throws {
        func decisions(seed: UInt64) async throws -> [PaymentStatus] {
            try await withPaymentSystem(config: .init(approvalRate: 0.8, seed: seed)) { payments in
                var statuses: [PaymentStatus] = []
                for index in 0..<200 { statuses.append(try await payments.charge("order-\(index)", token: "tok_card").status) }
                return statuses
            }
        }
        let first = try await decisions(seed: 7)
        #expect(try await decisions(seed: 7) == first)
        #expect(try await decisions(seed: 8) != first)
        let approved = first.filter { $0 == .approved }.count
        #expect((130...190).contains(approved), "about 80 % of 200, got \(approved)")
    }

    @Test func processPaymentIsIdempotentPerOrder() async throws {
        try await withPaymentSystem(config: .init(approvalRate: 0.5, seed: 3)) { payments in
            var firsts: [String: PaymentRecord] = [:]
            for index in 0..<20 { firsts["o\(index)"] = try await payments.charge("o\(index)", token: "tok_card") }
            for (orderID, first) in firsts {
                #expect(try await payments.charge(orderID, token: "tok_card") == first)
                // The repeat's token does not matter: the first answer stands.
                #expect(try await payments.charge(orderID, token: "tok_decline") == first)
            }
            await #expect(throws: PaymentError.mismatchedRepeat(orderID: "o1")) { try await payments.charge("o1", amount: 1) }
        }
    }

    /// A repeat is answered from the record and never reaches the processor: with a real
    /// processor a second decision is a second charge. Seeded decisions show it: repeats between
    /// charges leave the later charges' decisions as they are without them.
    @Test func repeatsDoNotReachTheProcessor() async throws {
        func decisions(repeating: Bool) async throws -> [PaymentStatus] {
            try await withPaymentSystem(config: .init(approvalRate: 0.5, seed: 11)) { payments in
                var statuses: [PaymentStatus] = []
                for index in 0..<40 {
                    statuses.append(try await payments.charge("order-\(index)", token: "tok_card").status)
                    if repeating { _ = try await payments.charge("order-\(index)", token: "tok_card") }
                }
                return statuses
            }
        }
        #expect(try await decisions(repeating: true) == decisions(repeating: false))
    }

    @Test func concurrentDuplicatesChargeOnce() async throws {
        try await withPaymentSystem(config: .init(approvalRate: 0.5, seed: 9)) { payments in
            for round in 0..<10 {
                let results = try await withThrowingTaskGroup(of: PaymentRecord.self) { group in
                    for _ in 0..<16 { group.addTask { try await payments.charge("dup-\(round)", token: "tok_card") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(results).count == 1, "one payment, returned to every duplicate")
            }
        }
    }

    @Test func refundIsIdempotent() async throws {
        try await withPaymentSystem { payments in
            let payment = try await payments.charge("o1")
            let refunded = try await payments.refund(paymentID: payment.id, orderID: "", reason: "USER_REQUESTED")
            #expect(refunded.status == .refunded)
            #expect(refunded.refundedAt != nil)
            #expect(refunded.refundReason == "USER_REQUESTED")
            #expect(try await payments.refund(paymentID: "", orderID: "o1", reason: "again") == refunded)
            #expect(try await payments.refund(paymentID: payment.id, orderID: "", reason: "again") == refunded)
            // ProcessPayment again returns the payment as it is now, still refunded: never a second charge.
            #expect(try await payments.charge("o1").status == .refunded)
        }
    }

    @Test func refundingADeclinedOrUnknownPaymentIsRefused() async throws {
        try await withPaymentSystem { payments in
            let declined = try await payments.charge("o1", token: "tok_decline")
            await #expect(throws: PaymentError.self) { try await payments.refund(paymentID: declined.id, orderID: "", reason: "r") }
            #expect(try await payments.payment(paymentID: declined.id, orderID: "").status == .declined)
            await #expect(throws: PaymentError.notFound("payment nope")) { try await payments.refund(paymentID: "nope", orderID: "", reason: "r") }
            await #expect(throws: PaymentError.notFound("payment for order o9")) { try await payments.refund(paymentID: "", orderID: "o9", reason: "r") }
            await #expect(throws: PaymentError.self) { try await payments.refund(paymentID: "", orderID: "", reason: "r") }
        }
    }

    @Test func concurrentRefundsRefundOnce() async throws {
        try await withPaymentSystem { payments in
            let payment = try await payments.charge("o1")
            let results = try await withThrowingTaskGroup(of: PaymentRecord.self) { group in
                for _ in 0..<16 { group.addTask { try await payments.refund(paymentID: payment.id, orderID: "", reason: "r") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(results.map(\.refundedAt)).count == 1)
        }
    }

    @Test func getPaymentByIDOrOrder() async throws {
        try await withPaymentSystem { payments in
            let payment = try await payments.charge("o1")
            #expect(try await payments.payment(paymentID: payment.id, orderID: "") == payment)
            #expect(try await payments.payment(paymentID: "", orderID: "o1") == payment)
            await #expect(throws: PaymentError.self) { try await payments.payment(paymentID: "", orderID: "o2") }
        }
    }

    @Test func paymentsSurviveAReopen() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/payments-reopen-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await withPaymentSystem(directory: directory) { try await $0.charge("o1", token: "tok_card") }
        let again = try await withPaymentSystem(config: .init(approvalRate: 0, seed: 5), directory: directory) { try await $0.charge("o1", token: "tok_card") }
        #expect(again == first)
    }
}
