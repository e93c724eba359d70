import Foundation

/// The file names a dataset export gives its images: each image's own name where it can, made safe
/// as a path inside a ZIP and unique, so label files (`<stem>.txt`, `<stem>.xml`) pair with images by
/// name as YOLO and VOC loaders pair them.
///
/// Deterministic: the same names in the same order give the same result. A name that occurs once
/// keeps its (cleaned) form; of names that clash, the first keeps it and later ones get `-2`, `-3`,
/// ... before the extension, skipping any name another image already holds.
public enum ExportNames {
    /// One image's name and storage: `original` as it arrived (display text, any characters) and
    /// `stored`, the server's file name, whose extension says what the bytes are (`jpg` or `png`).
    public struct Source: Sendable, Equatable {
        public var original: String
        public var stored: String
        public init(original: String, stored: String) {
            self.original = original
            self.stored = stored
        }
    }

    /// A stem longer than this is cut: file systems allow 255 bytes, and room is left for the suffix.
    static let maxStemLength = 120

    /// One file name per source, in order: no folder part, no `..`, no characters that Windows or a
    /// shell treat specially, an extension that names the bytes' format.
    public static func assign(_ sources: [Source]) -> [String] {
        let cleaned = sources.map { split(clean($0.original), storedExtension: extensionOf($0.stored) ?? "") }
        // Clashes are decided on the case-folded stem: label files are named by the stem alone, and
        // macOS and Windows folders do not tell `A.png` from `a.png`.
        var counts: [String: Int] = [:]
        for name in cleaned { counts[name.stem.lowercased(), default: 0] += 1 }
        var taken = Set(counts.keys)
        var firstSeen = Set<String>()
        return cleaned.map { name in
            let key = name.stem.lowercased()
            if counts[key] == 1 || firstSeen.insert(key).inserted { return name.stem + name.suffix }
            var number = 2
            while taken.contains("\(name.stem)-\(number)".lowercased()) { number += 1 }
            taken.insert("\(name.stem)-\(number)".lowercased())
            return "\(name.stem)-\(number)" + name.suffix
        }
    }

    /// The name without its last extension: what label files are named after.
    public static func stem(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// Whether `path` may name a file inside an archive: relative, forward slashes only, no empty,
    /// `.` or `..` component, no control character. What every path an export writes must pass.
    public static func isSafeArchivePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains(":") else { return false }
        guard !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !["", ".", ".."].contains($0) }
    }

    /// The last path component (either slash), without control characters or the characters Windows
    /// refuses in names, without leading or trailing dots and spaces (Windows drops trailing ones,
    /// a leading dot hides the file); "image" when nothing is left.
    static func clean(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in last.unicodeScalars where scalar.properties.generalCategory != .control {
            scalars.append("<>:\"|?*".unicodeScalars.contains(scalar) ? "_" : scalar)
        }
        let trimmed = String(scalars).trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return trimmed.isEmpty ? "image" : trimmed
    }

    /// `name` as stem and suffix (".ext"): its own extension when that names the stored format
    /// (`.JPEG` for a JPEG stays), otherwise the whole name is the stem and the stored extension is
    /// added, so loaders that pick images by extension find it.
    static func split(_ name: String, storedExtension: String) -> (stem: String, suffix: String) {
        let accepted: Set<String> = storedExtension == "jpg" || storedExtension == "jpeg" ? ["jpg", "jpeg"] : [storedExtension]
        var stem = name
        var suffix = storedExtension.isEmpty ? "" : "." + storedExtension
        if let own = extensionOf(name), accepted.contains(own.lowercased()) {
            stem = self.stem(of: name)
            suffix = "." + own
        }
        if stem.count > maxStemLength { stem = String(stem.prefix(maxStemLength)) }
        // Cutting may leave a trailing dot or space, which Windows would drop on unpacking.
        stem = stem.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return (stem.isEmpty ? "image" : stem, suffix)
    }

    private static func extensionOf(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty ? nil : String(ext)
    }
}
