/// Small helpers for writing SVG and HTML text.
enum Markup {
    /// One SVG element with its attributes in the given order (`more` after `attributes`); `text` (escaped)
    /// becomes its content; `open` leaves it open for children.
    static func tag(
        _ name: String, _ attributes: KeyValuePairs<String, String>, _ more: [(String, String)] = [],
        text: String? = nil,
        open: Bool = false
    ) -> String {
        let attributeText = (attributes.map { ($0.key, $0.value) } + more).map { " \($0.0)=\"\(escape($0.1))\"" }
            .joined()
        if let text { return "<\(name)\(attributeText)>\(escape(text))</\(name)>" }
        return "<\(name)\(attributeText)\(open ? "" : "/")>"
    }

    /// `text` broken at spaces into lines of at most `width` characters (longer words stay whole).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        return lines + [current]
    }

    /// Text made safe for SVG and HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
