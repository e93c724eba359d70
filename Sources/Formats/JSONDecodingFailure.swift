import Foundation

extension FormatError {
    /// Where in the document JSON decoding failed and how, in JSON's terms rather than Swift's type
    /// names. Also what the server says about a malformed request body, so both read alike.
    public init(_ error: DecodingError, format: Format, file: String? = nil) {
        func path(_ context: DecodingError.Context) -> String? {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? nil : String(keys.drop(while: { $0 == "." }))
        }
        switch error {
        case .dataCorrupted(let context):
            // The parser's own sentence (position, offending character) is in the underlying error.
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            self.init(format, file: file, field: path(context), .malformed(underlying ?? context.debugDescription))
        case .keyNotFound(let key, let context):
            self.init(format, file: file, field: path(context), .missingField(key.stringValue))
        case .typeMismatch(let type, let context):
            self.init(format, file: file, field: path(context), .wrongType(expected: Self.jsonName(of: type), null: false))
        case .valueNotFound(let type, let context):
            self.init(format, file: file, field: path(context), .wrongType(expected: Self.jsonName(of: type), null: true))
        @unknown default:
            self.init(format, file: file, .malformed("\(error)"))
        }
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
