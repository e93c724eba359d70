import Hummingbird

/// Times every request into the latency histogram, labelled by route pattern, method and status.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let status = response.status.code
        let method = request.method.rawValue
        // The route pattern, not the path: one series per endpoint, not per project or image id.
        let metrics = self.metrics
        let body = response.body
        let record: @Sendable () -> Void = {
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", method: method, status: status,
                duration: ContinuousClock.now - start)
        }
        // Record once the body is written, so streamed and large responses are timed in full.
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            do {
                try await body.write(writer)
                record()
            } catch {
                record()
                throw error
            }
        }
        return response
    }
}
