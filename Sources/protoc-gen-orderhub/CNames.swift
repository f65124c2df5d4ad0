/// The C names protoc-c gives to a proto declaration (its `c_helpers.cc` rules), so that the
/// generated Swift can call the C it wrote.
enum CNames {
    /// The struct or enum type: `orderhub.v1.LineItem` → `Orderhub__V1__LineItem`.
    static func type(_ fullName: String) -> String {
        pieces(fullName).map { camelCase($0, upperFirst: true) }.joined(separator: "__")
    }

    /// The prefix of the functions and descriptors: `orderhub.v1.LineItem` → `orderhub__v1__line_item`.
    static func functionPrefix(_ fullName: String) -> String {
        pieces(fullName).map(camelToLower).joined(separator: "__")
    }

    /// The prefix of constants: `orderhub.v1.LineItem` → `ORDERHUB__V1__LINE_ITEM`.
    static func constantPrefix(_ fullName: String) -> String {
        pieces(fullName).map { camelToLower($0).uppercased() }.joined(separator: "__")
    }

    /// A struct member: the field name lower-cased, with `_` after a C or C++ keyword.
    static func member(_ fieldName: String) -> String {
        let lowered = fieldName.lowercased()
        return keywords.contains(lowered) ? lowered + "_" : lowered
    }

    /// The oneof case member, e.g. `payment_method_case`.
    static func oneofCaseMember(_ oneofName: String) -> String {
        oneofName.lowercased() + "_case"
    }

    /// The constant selecting one oneof field, e.g. `DEMO__THING__PAYMENT_METHOD_CARD_NUMBER`.
    static func oneofCaseConstant(message: String, oneof: String, field: String) -> String {
        constantPrefix(message) + "__" + oneof.uppercased() + "_" + field.uppercased()
    }

    private static func pieces(_ fullName: String) -> [String] {
        fullName.split(separator: ".").map(String.init)
    }

    /// Drops underscores and upper-cases the letter after each, and the first when `upperFirst`:
    /// protoc-c's ToCamel with it, protoc's JSON names without (`unit_price_cents` → `unitPriceCents`).
    static func camelCase(_ name: String, upperFirst: Bool) -> String {
        var result = "", upperNext = upperFirst
        for character in name {
            if character == "_" {
                upperNext = true
            } else {
                result += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
        }
        return result
    }

    /// protoc-c's CamelToLower: `_` before an upper-case letter that follows a lower-case one.
    private static func camelToLower(_ name: String) -> String {
        var result = "", wasUpper = true
        for character in name {
            let isUpper = character.isASCII && character.isUppercase
            if isUpper && !wasUpper { result += "_" }
            result += isUpper ? character.lowercased() : String(character)
            wasUpper = isUpper
        }
        return result
    }

    private static let keywords: Set<String> = [
        "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "class",
        "compl", "const", "const_cast", "continue", "default", "delete", "do", "double", "dynamic_cast", "else",
        "enum", "explicit", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
        "mutable", "namespace", "new", "not", "not_eq", "operator", "or", "or_eq", "private", "protected",
        "public", "register", "reinterpret_cast", "return", "short", "signed", "sizeof", "static",
        "static_cast", "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typeid",
        "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor",
        "xor_eq",
    ]
}
