import Hummingbird
import Logging

/// Turns every error thrown below it into a JSON error response; unexpected ones are logged and
/// reported as 500 without their details.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            if let apiError = ErrorMapping.apiError(for: error) {
                if apiError.status.code >= 500 {
                    context.logger.error("\(request.method) \(request.uri.path): \(apiError)")
                }
                return try apiError.response(from: request, context: context)
            }
            context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            return try APIError(.internalServerError, "internal error; the server log has the details")
                .response(from: request, context: context)
        }
    }
}
