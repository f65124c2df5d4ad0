/// Builds Swift source line by line, four spaces per level.
struct CodeWriter {
    private(set) var text = ""
    private var level = 0

    /// One line at the current indentation; an empty call writes a blank line.
    mutating func line(_ content: String = "") {
        text += content.isEmpty ? "\n" : String(repeating: "    ", count: level) + content + "\n"
    }

    /// `header {`, the body one level deeper, then `}`.
    mutating func block(_ header: String, _ body: (inout CodeWriter) throws -> Void) rethrows {
        line(header + " {")
        level += 1
        try body(&self)
        level -= 1
        line("}")
    }

    /// `switch subject {`, the cases at the same level (as Swift style has it), then `}`.
    mutating func switchBlock(_ subject: String, _ cases: (inout CodeWriter) -> Void) {
        line("switch \(subject) {")
        cases(&self)
        line("}")
    }

    /// A `///` comment: the `.proto` comment when there is one, else `fallback`.
    mutating func doc(_ comment: String?, fallback: String? = nil) {
        let lines = DocComment.lines(comment) ?? fallback.map { [$0] } ?? []
        for text in lines { line(text.isEmpty ? "///" : "/// " + text) }
    }
}

/// Turns a `.proto` comment into doc-comment lines.
enum DocComment {
    static func lines(_ comment: String?) -> [String]? {
        guard let comment else { return nil }
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            // protoc keeps the space after `//`; drop one leading space and any trailing ones.
            var text = Substring(line)
            if text.first == " " { text = text.dropFirst() }
            while text.last == " " { text = text.dropLast() }
            return String(text)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.isEmpty ? nil : lines
    }
}
