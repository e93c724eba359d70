import CTorch

/// A failure reported by libtorch (bad shape, out of memory, unsupported dtype...) or by this layer.
public struct TorchError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "TorchError: \(message)" }

    /// The bridge's thread-local message for the call that just failed.
    static func last() -> TorchError { TorchError(String(cString: ct_last_error())) }
}

/// Turns a bridge status code into a thrown error.
@inline(__always)
func check(_ status: Int32) throws {
    if status != 0 { throw TorchError.last() }
}
