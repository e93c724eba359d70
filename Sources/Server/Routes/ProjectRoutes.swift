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
        // Only the caller's projects: one it is not a member of leaves no trace (server admins see all).
        api.get("projects") { _, context in
            let caller = try context.caller
            if caller.isAdmin { return ProjectListJSON(projects: try await store.projects().map { ProjectJSON($0) }) }
            return ProjectListJSON(projects: try await store.projects(memberOf: caller.account.id).map { ProjectJSON($0, role: $1) })
        }
        api.post("projects") { request, context in
            var request = request
            let body = try await request.decodeJSON(CreateProjectRequest.self, limit: limits.maxJSONBytes)
            let summary = try await store.createProject(
                name: body.name, task: body.task,
                classes: (body.classes ?? []).map { NewClass(name: $0.name, colour: $0.colour) },
                owner: try context.caller.account.id)
            return EditedResponse(status: .created, response: ProjectJSON(summary, role: .owner))
        }
        api.get("projects/:project") { _, context in
            let id = try await context.project(.view, in: store)
            return ProjectJSON(try await store.project(id), role: try await role(in: id, context))
        }
        // Owners only: everything of the project goes. The trainer stops first so it cannot write a
        // checkpoint after its folder is removed; the files go after the rows, so a failed delete loses none.
        api.delete("projects/:project") { _, context in
            let id = try await context.project(.manage, in: store)
            let spec = ProjectSpec(try await store.project(id))
            await service.deleted(project: spec)
            try await store.deleteProject(id)
            try? FileManager.default.removeItem(at: files.folder(project: id))
            return Response(status: .noContent)
        }
        api.get("projects/:project/classes") { _, context in
            ClassListJSON(classes: try await store.classes(project: try await context.project(.view, in: store)).map(ClassJSON.init))
        }
        api.post("projects/:project/classes") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            let body = try await request.decodeJSON(CreateClassRequest.self, limit: limits.maxJSONBytes)
            let added = try await store.addClass(project: project, name: body.name, colour: body.colour)
            return EditedResponse(status: .created, response: ClassJSON(added))
        }
    }

    /// The caller's role, for the UI to show what it may do; nil for a server admin who is not a member.
    private func role(in project: Int64, _ context: AppRequestContext) async throws -> ProjectRole? {
        try await store.role(project: project, account: try context.caller.account.id)
    }
}
