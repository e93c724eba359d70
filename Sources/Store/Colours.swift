/// Class colours: `#rrggbb`, and a palette for classes created without one.
enum Colours {
    /// Distinct on white and on photos; from the Tableau 10 set.
    static let defaults = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    static func palette(_ index: Int) -> String { defaults[index % defaults.count] }

    /// `colour` in lower case, nil when none was given, or an error when it is not `#rrggbb`.
    static func validated(_ colour: String?) throws(StoreError) -> String? {
        guard let colour else { return nil }
        // ASCII only: `isHexDigit` also takes full-width digits, which no CSS colour has.
        let hex = colour.utf8.dropFirst()
        guard colour.first == "#", hex.count == 6, hex.allSatisfy({ (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) })
        else { throw .invalidColour(colour) }
        return colour.lowercased()
    }
}
