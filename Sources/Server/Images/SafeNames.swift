import Foundation

/// Names that come from clients, made safe to show; they are never used to build a path.
enum SafeNames {
    static let maxLength = 200

    /// The last component of `raw` (either slash), without control characters, at most 200 characters.
    /// "../../etc/passwd" becomes "passwd"; an empty result becomes "image".
    static func displayName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let visible = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        let trimmed = visible.trimmingCharacters(in: .whitespaces)
        let name = trimmed == "." || trimmed == ".." ? "" : trimmed
        return name.isEmpty ? "image" : String(name.prefix(maxLength))
    }
}
