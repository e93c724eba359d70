import Hummingbird
import Store

extension AppRequestContext {
    /// The `:project` id of the path, once the caller may do `permission` there: every project route
    /// starts with this. A non-member gets the same 404 as for a project that does not exist, so the
    /// answer tells nothing about other people's projects; a member whose role does not allow it gets
    /// 403. Server admins may do everything in every project.
    func project(_ permission: ProjectPermission, in store: Store) async throws -> Int64 {
        let id = try id("project")
        let caller = try caller
        if caller.isAdmin { return id }
        guard let role = try await store.role(project: id, account: caller.account.id) else {
            throw StoreError.projectNotFound(id)
        }
        guard role.permits(permission) else {
            throw APIError(.forbidden, "\(Self.describe(permission)) in project \(id); your role is \(role.rawValue)")
        }
        return id
    }

    private static func describe(_ permission: ProjectPermission) -> String {
        switch permission {
        case .view, .annotate: "every member may do this"
        case .review: "reviewing needs the reviewer or owner role"
        case .manage: "classes, images, exports, members and deletion need the owner role"
        }
    }
}
