import Hummingbird
import Models
import Store

/// The labelling loop: open, submit, skip, and an image's annotation and its history.
struct AnnotationRoutes {
    let store: Store
    let labelling: Labelling
    let limits: ServerConfig.Limits

    func add(to api: RouterGroup<AppRequestContext>) {
        api.post("projects/:project/images/:image/open") { _, context in
            try await labelling.open(
                project: try await context.project(.annotate, in: store), image: try context.id("image"),
                who: try context.annotator.name)
        }
        api.put("projects/:project/images/:image/annotation") { request, context in
            var request = request
            let (project, image) = (try await context.project(.annotate, in: store), try context.id("image"))
            let body = try await request.decodeJSON(SubmitAnnotationRequest.self, limit: limits.maxJSONBytes)
            let reply = try await labelling.submit(
                project: project, image: image, objects: body.objects ?? [], labels: body.labels,
                source: body.source ?? .drawn, annotator: try context.annotator,
                expectedVersion: try request.expectedVersion(body: body.version), activeSeconds: body.activeSeconds,
                opening: body.opening)
            return EditedResponse(headers: reply.annotation.etag, response: reply)
        }
        api.get("projects/:project/images/:image/annotation") { _, context in
            let annotation = AnnotationJSON(
                try await store.annotation(project: try await context.project(.view, in: store), image: try context.id("image")))
            return EditedResponse(headers: annotation.etag, response: annotation)
        }
        api.delete("projects/:project/images/:image/annotation") { request, context in
            try await labelling.delete(
                project: try await context.project(.annotate, in: store), image: try context.id("image"),
                who: try context.annotator.name, expectedVersion: try request.expectedVersion(body: nil))
        }
        api.get("projects/:project/images/:image/annotation/history") { _, context in
            let entries = try await store.history(
                project: try await context.project(.view, in: store), image: try context.id("image"))
            return HistoryJSON(
                history: entries.map {
                    HistoryEntryJSON(
                        id: $0.id, objects: $0.objects.map(AnnotatedObject.init), labels: $0.labels, source: $0.source,
                        who: $0.who, at: $0.at, activeSeconds: $0.activeSeconds)
                })
        }
        api.post("projects/:project/images/:image/skip") { _, context in
            ImageJSON(
                try await store.skipImage(
                    project: try await context.project(.annotate, in: store), id: try context.id("image"),
                    holder: try context.annotator.holder))
        }
    }
}
