import Foundation

/// Locale-independent number text for tables and chart labels ("10,000", "583.3").
enum NumberText {
    /// `value` with `decimals` digits after the point and commas between thousands.
    static func fixed(_ value: Double, decimals: Int = 0) -> String {
        let text = String(format: "%.\(max(0, decimals))f", value)
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var grouped = ""
        while integer.count > 3 {
            grouped = "," + integer.suffix(3) + grouped
            integer.removeLast(3)
        }
        grouped = integer + grouped
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        let sign = negative && (grouped + fraction).contains(where: { $0 != "0" && $0 != "." && $0 != "," }) ? "-" : ""
        return sign + grouped + fraction
    }

    /// `value` with at most `maxDecimals` digits after the point and no trailing zeros ("6", "1.5").
    static func short(_ value: Double, maxDecimals: Int = 2) -> String {
        var text = fixed(value, decimals: maxDecimals)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// "1 annotator", "2 annotators", "10,000 images".
    static func count(_ value: Int, _ noun: String) -> String {
        fixed(Double(value)) + " " + noun + (value == 1 ? "" : "s")
    }
}
