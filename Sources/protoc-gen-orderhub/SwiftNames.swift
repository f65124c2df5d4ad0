/// How proto names become Swift names (docs/generated-code.md).
enum SwiftNames {
    /// `customer_id` → `customerID`, `unit_price_cents` → `unitPriceCents`, `order_ids` → `orderIDs`.
    static func property(_ protoName: String) -> String {
        lowerCamel(protoName.split(separator: "_").map(String.init))
    }

    /// An enum case from a value name, without the enum's own prefix:
    /// `ORDER_STATE_CREATED` in `OrderState` → `created`, `SERVICE_UNKNOWN` → `serviceUnknown`.
    static func enumCase(_ valueName: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        var name = valueName
        if name.hasPrefix(prefix), let first = name.dropFirst(prefix.count).first, first.isLetter {
            name = String(name.dropFirst(prefix.count))
        }
        return lowerCamel(name.split(separator: "_").map { $0.lowercased() })
    }

    /// `CreateOrder` → `createOrder`, `HTTPGet` → `httpGet`.
    static func method(_ rpcName: String) -> String {
        let characters = Array(rpcName)
        var upperRun = 0
        while upperRun < characters.count, characters[upperRun].isUppercase { upperRun += 1 }
        // In `HTTPGet` the `G` starts the next word, so it stays upper case.
        let lowered = upperRun > 1 && upperRun < characters.count ? upperRun - 1 : upperRun
        return (characters[..<lowered].map { $0.lowercased() }.joined()) + String(characters[lowered...])
    }

    /// `payment_method` → `PaymentMethod`.
    static func typeName(_ protoName: String) -> String {
        let camel = property(protoName)
        return camel.prefix(1).uppercased() + camel.dropFirst()
    }

    /// `OrderState` → `ORDER_STATE`, `HTTPMethod` → `HTTP_METHOD`.
    static func upperSnake(_ camelName: String) -> String {
        let characters = Array(camelName)
        var result = ""
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    result += "_"
                }
            }
            result += character.uppercased()
        }
        return result
    }

    /// A name usable as an identifier: Swift keywords get backticks.
    static func identifier(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    private static func lowerCamel(_ words: [String]) -> String {
        words.enumerated().map { index, word in
            if index == 0 { return word }
            switch word.lowercased() {
            case "id": return "ID"
            case "ids": return "IDs"
            default: return word.prefix(1).uppercased() + word.dropFirst()
            }
        }.joined()
    }

    private static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
        "super", "throws", "true", "try", "_",
    ]
}
