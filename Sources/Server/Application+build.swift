import Foundation
import Hummingbird
import Logging
import Store

/// The livetrain HTTP server: the JSON API under `/api`, server-sent events, `/metrics`, and the
/// labelling UI from the bundled `Web` folder at `/`.
///
/// Every `/api` route but signing in needs an API token or a session cookie (see `AuthMiddleware`);
/// `/metrics` and the static UI do not.
/// The caller owns `store` and `service` and shuts them down after the application stops.
/// `onRunning` is called with the bound port once the server listens (useful with port 0).
public func buildApplication(
    config: ServerConfig, store: Store, service: some LiveTrainingService, metrics: ServerMetrics = ServerMetrics(),
    logger: Logger = Logger(label: "livetrain.server"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try FileManager.default.createDirectory(at: config.imagesDirectory, withIntermediateDirectories: true)
    let openStreams = OpenEventStreams()
    let router = buildRouter(
        config: config, store: store, service: service, metrics: metrics, openStreams: openStreams, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "livetrain"),
        onServerRunning: { channel in
            // Graceful shutdown first closes the listening channel, then waits for responses in
            // flight; end the event streams then, or they would hold the shutdown up indefinitely.
            channel.closeFuture.whenComplete { _ in Task { await openStreams.finishAll() } }
            await onRunning(channel.localAddress?.port ?? config.port)
        },
        logger: logger)
}

func buildRouter(
    config: ServerConfig, store: Store, service: any LiveTrainingService, metrics: ServerMetrics,
    openStreams: OpenEventStreams, logger: Logger
) -> Router<AppRequestContext> {
    let limits = config.limits
    let files = ImageFiles(root: config.imagesDirectory, maxPixels: limits.maxImagePixels)
    let intake = ImageIntake(store: store, files: files)
    let importer = Importer(
        store: store, intake: intake, maxFileBytes: limits.maxUploadBytes, root: ImportRoot(config.importRoot))
    let labelling = Labelling(store: store, service: service, files: files, metrics: metrics, logger: logger)

    let router = Router(context: AppRequestContext.self)
    // Outermost first: time everything, then add the security headers to every response, then turn
    // errors into JSON, then fall back to static files.
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    if let web = Bundle.module.url(forResource: "Web", withExtension: nil) {
        router.add(middleware: FileMiddleware(web.path, searchForIndexHtml: true, logger: logger))
    }
    MetricsRoute(store: store, service: service, metrics: metrics).add(to: router)
    SimulationRoute().add(to: router)

    let api = router.group("api")
        .add(
            middleware: AuthMiddleware(
                store: store, limiter: RateLimiter(requestsPerMinute: limits.requestsPerMinute),
                requestsPerMinute: limits.requestsPerMinute))
    SessionRoutes(
        store: store, limits: limits, signIns: RateLimiter(requestsPerMinute: limits.signInsPerMinute),
        lifetime: config.sessionLifetime
    ).add(to: router, api: api)
    TokenRoutes(store: store, limits: limits).add(to: api)
    AccountRoutes(store: store, limits: limits).add(to: api)
    MemberRoutes(store: store, limits: limits).add(to: api)
    ProjectRoutes(store: store, service: service, files: files, limits: limits).add(to: api)
    ImageRoutes(
        store: store, intake: intake, importer: importer, service: service, limits: limits,
        leaseDuration: config.leaseDuration
    ).add(to: api)
    AnnotationRoutes(store: store, labelling: labelling, limits: limits).add(to: api)
    LeaseRoutes(store: store, leaseDuration: config.leaseDuration).add(to: api)
    ReviewRoutes(store: store, leaseDuration: config.leaseDuration).add(to: api)
    TrainingRoutes(store: store, service: service, heartbeat: .seconds(15), openStreams: openStreams).add(to: api)
    ExportRoutes(store: store, service: service, files: files, temporary: config.exportsDirectory).add(to: api)
    MethodNotAllowed.addAnswers(to: router)
    return router
}
