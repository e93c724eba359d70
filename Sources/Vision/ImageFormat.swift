import Foundation

/// The encoded formats this module reads and writes, recognised by their first bytes, not by name.
public enum ImageFormat: String, Sendable, CustomStringConvertible {
    case jpeg = "JPEG"
    case png = "PNG"

    public var description: String { rawValue }

    /// The format `data` starts with, or nil when it is neither JPEG nor PNG.
    public static func sniff(_ data: Data) -> ImageFormat? {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }

    /// What an unrecognised file looks like, for an error message a person can act on.
    static func describeUnrecognised(_ data: Data) -> String {
        let head = [UInt8](data.prefix(16))
        func has(_ text: String, at offset: Int = 0) -> Bool {
            let bytes = Array(text.utf8)
            return head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        let known: [(Bool, String)] = [
            (has("GIF87a") || has("GIF89a"), "GIF"),
            (has("RIFF") && has("WEBP", at: 8), "WebP"),
            (has("II*\u{0}") || has("MM\u{0}*"), "TIFF"),
            (has("ftyp", at: 4) && (has("heic", at: 8) || has("heix", at: 8) || has("mif1", at: 8)), "HEIC"),
            (has("ftyp", at: 4) && has("avif", at: 8), "AVIF"),
            (has("BM"), "BMP"),
            (has("%PDF"), "PDF"),
        ]
        if let (_, name) = known.first(where: { $0.0 }) {
            return "\(name) is not supported; convert it to PNG or JPEG"
        }
        // The file's own bytes are never quoted: an import of the wrong path must not echo its contents.
        if !head.isEmpty, head.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return "text, not an image"
        }
        return "neither JPEG nor PNG"
    }
}
