import Foundation

/// The rules for names people give projects and classes.
enum Names {
    static let maxLength = 100

    /// `name` without surrounding spaces, or why it cannot be a name.
    static func validated(_ name: String, kind: String) throws(StoreError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw .invalidName(kind: kind, reason: "empty") }
        if trimmed.count > maxLength { throw .invalidName(kind: kind, reason: "longer than \(maxLength) characters") }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidName(kind: kind, reason: "contains control characters")
        }
        return trimmed
    }

    /// The first name that appears twice, ignoring case (names are unique without regard to case).
    static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for name in names where !seen.insert(name.lowercased()).inserted { return name }
        return nil
    }
}
