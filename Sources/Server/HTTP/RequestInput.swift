import Foundation
import Hummingbird

extension Request {
    /// The body, refusing with 413 past `limit` bytes (from Content-Length before reading, when sent).
    mutating func body(limit: Int) async throws -> ByteBuffer {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "request body of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        do {
            return try await collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "request body exceeds the limit of \(limit) bytes")
        }
    }

    /// The JSON body decoded as `T`; malformed JSON throws `DecodingError` (mapped to 400).
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer = try await body(limit: limit)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "empty body: expected a JSON object") }
        return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
    }
}

extension AppRequestContext {
    /// A numeric id from the route path, e.g. `:project`.
    func id(_ name: String) throws -> Int64 {
        guard let text = parameters.get(name), let id = Int64(text) else {
            throw APIError(.badRequest, "'\(parameters.get(name) ?? "")' is not a valid \(name) id")
        }
        return id
    }
}

extension Request {
    /// An optional integer query parameter; present but not an integer is a 400.
    func queryInteger(_ name: String) throws -> Int? {
        guard let text = uri.queryParameters[name[...]] else { return nil }
        guard let value = Int(text) else { throw APIError(.badRequest, "query parameter '\(name)' must be an integer") }
        return value
    }

    /// An optional boolean query parameter (`true`/`false`, or `1`/`0`); anything else is a 400.
    func queryBoolean(_ name: String) throws -> Bool? {
        guard let text = uri.queryParameters[name[...]] else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError(.badRequest, "query parameter '\(name)' must be true or false")
        }
    }
}

extension Request {
    /// The annotation version an edit replaces, from `If-Match: "<version>"` (an ETag this server
    /// sent) or, failing that, the body's `version`; nil when the client names none (last write wins).
    func expectedVersion(body: Int?) throws -> Int? {
        guard let header = headers[.ifMatch] else { return body }
        var text = Substring(header.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
        guard let version = Int(text), version >= 0 else {
            throw APIError(.badRequest, "If-Match must be an annotation version as its ETag gives it, e.g. \"3\"")
        }
        if let body, body != version {
            throw APIError(.badRequest, "If-Match names version \(version) but the body's version is \(body)")
        }
        return version
    }
}

extension AnnotationJSON {
    /// The version as an ETag, so a client can send it back in `If-Match`.
    var etag: HTTPFields { [.eTag: "\"\(version)\""] }
}
