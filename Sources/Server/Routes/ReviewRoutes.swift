import Foundation
import Hummingbird
import Store

/// The review queue (submitted annotations, oldest first, leased to one reviewer at a time), decisions
/// on it, and the measured annotation times. Reviewing needs the reviewer (or owner) role.
struct ReviewRoutes {
    let store: Store
    let leaseDuration: TimeInterval

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("projects/:project/review/next") { _, context in
            let project = try await context.project(.review, in: store)
            let next = try await store.leaseNextReview(
                project: project, reviewer: try context.annotator.holder, duration: leaseDuration)
            let remaining = try await store.reviewCounts(project: project).pending
            return LeasedNextJSON(next, remaining: remaining, duration: leaseDuration)
        }
        api.post("projects/:project/images/:image/review") { request, context in
            var request = request
            let body = try await request.decodeJSON(ReviewRequest.self, limit: 64 * 1024)
            let annotation = try await store.review(
                project: try await context.project(.review, in: store), image: try context.id("image"), decision: body.decision,
                comment: body.comment ?? "", reviewer: try context.annotator.holder,
                expectedVersion: body.version)
            let json = AnnotationJSON(annotation)
            return EditedResponse(headers: json.etag, response: json)
        }
        api.get("projects/:project/annotation-times") { _, context in
            AnnotationTimesJSON(times: try await store.annotationTimes(project: try await context.project(.view, in: store)).map(AnnotationTimeJSON.init))
        }
    }
}
