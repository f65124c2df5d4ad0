@testable import Gateway
import Testing

@Suite("JSON parser and writer")
struct JSONParserTests {
    @Test("parses every kind of value; numbers keep their text")
    func values() throws {
        let value = try JSONValue(parsing: Array(#" {"a":[1,-2.5e3,true,false,null,"x\"\u00e9\ud83d\ude00"],"b":{}} "#.utf8))
        #expect(
            value
                == .object([
                    "a": .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null, .string("x\"é😀")]),
                    "b": .object([:]),
                ]))
    }

    @Test(
        "refuses malformed text, naming the byte",
        arguments: [
            ("", 0), ("{", 1), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 1), (#""\x""#, 2), ("[1] [2]", 4),
            ("\"a\u{01}\"", 2), ("nul", 0), ("-", 1), ("1.", 2), (#""\ud800""#, 7),
        ])
    func malformed(text: String, offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
        do {
            _ = try JSONValue(parsing: Array(text.utf8))
        } catch let error as JSONParseError {
            #expect(error.offset == offset, "\(text): \(error)")
        } catch {
            Issue.record(error)
        }
    }

    @Test("refuses invalid UTF-8 and nesting deeper than the limit")
    func limits() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue(parsing: Array(fine.utf8)) }
    }

    @Test("the writer escapes what JSON requires and its output parses back")
    func writer() throws {
        let tricky = "quote\" backslash\\ newline\n tab\t bell\u{07} line\u{2028} é"
        var json = JSONWriter()
        json.object { json in
            json.field("s") { $0.string(tricky) }
            json.field("n") { $0.integer(Int64.min) }
            json.field("a") { json in
                json.array { json in
                    json.bool(true); json.null(); json.integer(1)
                }
            }
        }
        #expect(!json.text.contains("\n"))
        #expect(
            try JSONValue(parsing: Array(json.text.utf8))
                == .object([
                    "s": .string(tricky), "n": .number("-9223372036854775808"), "a": .array([.bool(true), .null, .number("1")]),
                ]))
    }

    @Test("the writer's punctuation: commas between fields and elements, keys plain and escaped, empty values")
    func writerPunctuation() {
        var json = JSONWriter()
        json.object { json in
            json.field("a") { $0.string("") }
            json.field("k\"ey") { $0.string("v") }
            json.field("list") { json in
                json.array { json in
                    json.string("x")
                    json.object { $0.field("n") { $0.integer(1) } }
                    json.array { _ in }
                    json.string("y\\")
                }
            }
            json.field("o") { json in json.object { _ in } }
        }
        #expect(json.text == #"{"a":"","k\"ey":"v","list":["x",{"n":1},[],"y\\"],"o":{}}"#)
    }
}
