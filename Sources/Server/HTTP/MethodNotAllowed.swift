import HTTPTypes
import Hummingbird

/// A method a path does not have is 405 with `Allow` listing the ones it has, not 404: the path
/// exists, and a client (or the API fuzzer) should learn what it may do there. Added after every
/// route is registered, from the router's own table.
enum MethodNotAllowed {
    /// The standard methods and QUERY (the HTTP draft for safe requests with a body).
    static let methods: [HTTPRequest.Method] =
        [.get, .post, .put, .delete, .patch, .options, .trace, .connect] + [HTTPRequest.Method("QUERY")].compactMap { $0 }

    static func addAnswers(to router: Router<AppRequestContext>) {
        let paths = Dictionary(grouping: router.routes, by: { $0.path.description })
        for routes in paths.values {
            let allowed = Set(routes.map(\.method))
            // HEAD is answered wherever GET is.
            let allow = (allowed.contains(.get) ? allowed.union([.head]) : allowed).map(\.rawValue).sorted().joined(separator: ", ")
            for method in methods where !allowed.contains(method) {
                router.on(routes[0].path, method: method) { request, _ -> Response in
                    throw APIError(.methodNotAllowed, "\(request.method) is not allowed here; use \(allow)", headers: [.allow: allow])
                }
            }
        }
    }
}
