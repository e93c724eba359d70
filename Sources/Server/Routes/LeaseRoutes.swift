import Foundation
import Hummingbird
import Store

/// Leases on open images: taken or renewed while an image is open, released when its annotator leaves it.
struct LeaseRoutes {
    let store: Store
    let leaseDuration: TimeInterval

    func add(to api: RouterGroup<AppRequestContext>) {
        api.post("projects/:project/images/:image/lease") { _, context in
            let lease = try await store.lease(
                project: try await context.project(.annotate, in: store), image: try context.id("image"), holder: try context.annotator.holder,
                duration: leaseDuration)
            return LeaseJSON(lease, duration: leaseDuration)
        }
        // Idempotent: releasing a lease one does not hold (or that expired) is still 204.
        api.delete("projects/:project/images/:image/lease") { _, context in
            try await store.releaseLease(
                project: try await context.project(.annotate, in: store), image: try context.id("image"), holder: try context.annotator.holder)
            return Response(status: .noContent)
        }
    }
}
