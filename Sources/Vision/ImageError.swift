/// Why an image could not be read, decoded or encoded; the description names the file and the reason.
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all (missing, a directory, no permission).
    case unreadable(name: String, reason: String)
    /// Zero bytes.
    case emptyFile(name: String)
    /// Not JPEG or PNG, or a valid file this decoder does not handle; `reason` says what it is.
    case unsupportedFormat(name: String, reason: String)
    /// Starts like the format but the library rejected it: damaged, truncated, not really that format.
    case corrupt(name: String, format: ImageFormat, reason: String)
    /// The declared size exceeds the pixel limit; nothing was allocated.
    case tooLarge(name: String, width: Int, height: Int, limit: Int)
    /// The decoded pixels did not fit in memory.
    case outOfMemory(name: String, width: Int, height: Int)
    /// Encoding failed (sizes the format cannot hold, bad parameters, memory).
    case encodingFailed(format: ImageFormat, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let name, let reason):
            "cannot read '\(name)': \(reason)"
        case .emptyFile(let name):
            "empty file '\(name)' (0 bytes)"
        case .unsupportedFormat(let name, let reason):
            "unsupported format '\(name)': \(reason)"
        case .corrupt(let name, let format, let reason):
            "corrupt or truncated \(format) '\(name)': \(reason)"
        case .tooLarge(let name, let width, let height, let limit):
            "image too large '\(name)': \(width)x\(height) > limit of \(limit) pixels"
        case .outOfMemory(let name, let width, let height):
            "out of memory decoding '\(name)' (\(width)x\(height))"
        case .encodingFailed(let format, let reason):
            "cannot encode \(format): \(reason)"
        }
    }
}
