import Foundation
import Server
// Re-exported so every server test file sees the shared set-up and request helpers (`headers`, `json`,
// `createTreeProject`, …) as it did when they lived in this target.
@_exported import ServerTestSupport

/// The server most API tests run: the shared loopback set-up behind the in-memory training service.
typealias TestServer = LoopbackServer<InMemoryTrainingService>

extension LoopbackServer where Service == InMemoryTrainingService {
    convenience init(
        limits: ServerConfig.Limits = .init(), service: InMemoryTrainingService = InMemoryTrainingService(),
        importRoot: URL? = FileManager.default.temporaryDirectory, leaseDuration: TimeInterval = 600
    ) async throws {
        try await self.init(limits: limits, importRoot: importRoot, leaseDuration: leaseDuration, service: { _, _ in service })
    }
}
