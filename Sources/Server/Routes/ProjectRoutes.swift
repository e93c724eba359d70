import Foundation
import Hummingbird
import Store

/// Projects and their classes.
struct ProjectRoutes {
    let store: Store
    let service: any LiveTrainingService
    let files: ImageFiles
    let limits: ServerConfig.Limits

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("projects") { _, _ in
            ProjectListJSON(projects: try await store.projects().map(ProjectJSON.init))
        }
        api.post("projects") { request, context in
            var request = request
            let body = try await request.decodeJSON(CreateProjectRequest.self, limit: limits.maxJSONBytes)
            let summary = try await store.createProject(
                name: body.name, task: body.task,
                classes: (body.classes ?? []).map { NewClass(name: $0.name, colour: $0.colour) })
            return EditedResponse(status: .created, response: ProjectJSON(summary))
        }
        api.get("projects/:project") { _, context in
            ProjectJSON(try await store.project(try context.id("project")))
        }
        // Admin only: everything of the project goes. The trainer stops first so it cannot write a
        // checkpoint after its folder is removed; the files go after the rows, so a failed delete loses none.
        api.delete("projects/:project") { _, context in
            try context.requireAdmin("deleting a project")
            let id = try context.id("project")
            let spec = ProjectSpec(try await store.project(id))
            await service.deleted(project: spec)
            try await store.deleteProject(id)
            try? FileManager.default.removeItem(at: files.folder(project: id))
            return Response(status: .noContent)
        }
        api.get("projects/:project/classes") { _, context in
            ClassListJSON(classes: try await store.classes(project: try context.id("project")).map(ClassJSON.init))
        }
        api.post("projects/:project/classes") { request, context in
            var request = request
            let project = try context.id("project")
            let body = try await request.decodeJSON(CreateClassRequest.self, limit: limits.maxJSONBytes)
            let added = try await store.addClass(project: project, name: body.name, colour: body.colour)
            return EditedResponse(status: .created, response: ClassJSON(added))
        }
    }
}
