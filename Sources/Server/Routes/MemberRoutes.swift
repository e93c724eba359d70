import Hummingbird
import Store

/// A project's members and their roles; owners (and server admins) manage them.
struct MemberRoutes {
    let store: Store
    let limits: ServerConfig.Limits

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("projects/:project/members") { _, context in
            let project = try await context.project(.manage, in: store)
            return MemberListJSON(members: try await store.members(project: project).map(MemberJSON.init))
        }
        // Adds the named account or changes its role: setting a role twice is the same as once.
        api.put("projects/:project/members") { request, context in
            var request = request
            let project = try await context.project(.manage, in: store)
            let body = try await request.decodeJSON(SetMemberRequest.self, limit: limits.maxJSONBytes)
            return MemberJSON(try await store.setMember(project: project, accountName: body.name, role: body.role))
        }
        api.delete("projects/:project/members/:account") { _, context in
            let project = try await context.project(.manage, in: store)
            try await store.removeMember(project: project, account: try context.id("account"))
            return Response(status: .noContent)
        }
    }
}
