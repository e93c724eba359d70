import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

@testable import Server

/// docs/openapi.yaml against the routes the server registers: the same operations, and any other
/// method on a documented path answers 405 with `Allow`. (schemathesis in `make test` checks the
/// other direction: every documented operation behaves as documented.)
@Suite("the OpenAPI document and the registered routes")
struct OpenAPIRoutesTests {
    /// (method, path template) of every operation in the document, e.g. ("GET", "/api/projects/{project}").
    static func documented() throws -> Set<String> {
        let url = PackagePaths.root.appendingPathComponent("docs/openapi.yaml")
        var path: String?
        var operations: Set<String> = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, let method = ["get", "post", "put", "delete", "patch"].first(where: { line.hasPrefix("    \($0):") }) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test("every documented operation is registered and every registered path is documented")
    func sameOperations() async throws {
        let server = try await TestServer()
        let router = buildRouter(
            config: server.config, store: server.store, service: server.service, metrics: ServerMetrics(),
            openStreams: OpenEventStreams(), logger: Logger(label: "test"))
        // Registered paths use `:name` captures; the document uses `{name}`.
        let registered = router.routes.map { route -> (method: String, path: String) in
            let path = "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return (route.method.rawValue, path)
        }
        let documented = try Self.documented()
        #expect(documented.count >= 30)
        let registeredOperations = Set(registered.map { "\($0.method) \($0.path)" })
        #expect(documented.subtracting(registeredOperations).isEmpty, "documented, not registered: \(documented.subtracting(registeredOperations))")
        let documentedPaths = Set(documented.map { String($0.split(separator: " ")[1]) })
        #expect(Set(registered.map { $0.path }) == documentedPaths, "registered paths outside the document")
    }

    @Test("a method a documented path lacks is 405 with Allow, on every documented path")
    func methodNotAllowed() async throws {
        let server = try await TestServer()
        let documented = try Self.documented()
        let byPath = Dictionary(grouping: documented.map { $0.split(separator: " ").map(String.init) }, by: { $0[1] })
        try await server.run { client in
            for (template, operations) in byPath {
                // Ids that exist nowhere: no request here changes anything.
                let path = "/" + template.split(separator: "/").map { $0.hasPrefix("{") ? "999999" : String($0) }.joined(separator: "/")
                let methods = Set(operations.map { $0[0] })
                for method in MethodNotAllowed.methods where !methods.contains(method.rawValue) && method != .connect {
                    let response = try await client.execute(uri: path, method: method, headers: headers(server.admin))
                    #expect(response.status == .methodNotAllowed, "\(method) \(template): \(response.status)")
                    let allow = Set((response.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                    #expect(methods.isSubset(of: allow), "\(method) \(template): Allow \(allow)")
                }
            }
        }
    }
}
