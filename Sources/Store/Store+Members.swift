import Foundation
import GRDB

extension Store {
    /// The account's role in the project; nil when it is not a member or the project does not exist
    /// (callers answer both alike, so a non-member learns nothing of the project).
    public func role(project: Int64, account: Int64) async throws -> ProjectRole? {
        try await database.read { db in
            try ProjectRole.fetchOne(
                db, sql: "SELECT role FROM projectMember WHERE projectId = ? AND accountId = ?", arguments: [project, account])
        }
    }

    /// The projects an account is a member of, with its role in each, oldest first.
    public func projects(memberOf account: Int64) async throws -> [(ProjectSummary, ProjectRole)] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT projectId, role FROM projectMember WHERE accountId = ? ORDER BY projectId", arguments: [account]
            ).map { row -> (ProjectSummary, ProjectRole) in
                (try Self.summary(db, project: row["projectId"] as Int64), row["role"] as ProjectRole)
            }
        }
    }

    /// A project's members by name.
    public func members(project: Int64) async throws -> [ProjectMember] {
        try await database.read { db in
            try Self.requireProject(db, project)
            return try ProjectMember.fetchAll(
                db,
                sql: """
                    SELECT m.accountId, a.name, m.role FROM projectMember m JOIN account a ON a.id = m.accountId
                    WHERE m.projectId = ? ORDER BY a.name COLLATE NOCASE
                    """, arguments: [project])
        }
    }

    /// Adds the named account to the project or changes its role; the project keeps at least one owner.
    public func setMember(project: Int64, accountName: String, role: ProjectRole) async throws -> ProjectMember {
        try await database.write { db in
            try Self.requireProject(db, project)
            guard
                let account = try Account.fetchOne(
                    db, sql: "SELECT \(Account.columns) FROM account WHERE name = ?",
                    arguments: [accountName.trimmingCharacters(in: .whitespacesAndNewlines)])
            else { throw StoreError.accountNameNotFound(accountName) }
            if role != .owner { try Self.keepAnOwner(db, project: project, without: account.id) }
            try db.execute(
                sql: """
                    INSERT INTO projectMember (projectId, accountId, role) VALUES (?, ?, ?)
                    ON CONFLICT (projectId, accountId) DO UPDATE SET role = excluded.role
                    """, arguments: [project, account.id, role])
            return ProjectMember(accountId: account.id, name: account.name, role: role)
        }
    }

    /// Removes a member; removing a non-member is harmless, removing the last owner is refused.
    public func removeMember(project: Int64, account: Int64) async throws {
        try await database.write { db in
            try Self.requireProject(db, project)
            try Self.keepAnOwner(db, project: project, without: account)
            try db.execute(
                sql: "DELETE FROM projectMember WHERE projectId = ? AND accountId = ?", arguments: [project, account])
        }
    }

    /// Refuses a change that would leave a project that had an owner without one (nobody could manage it
    /// but server admins).
    static func keepAnOwner(_ db: Database, project: Int64, without account: Int64) throws {
        let owners = try Int64.fetchAll(
            db, sql: "SELECT accountId FROM projectMember WHERE projectId = ? AND role = 'owner'", arguments: [project])
        if owners == [account] { throw StoreError.lastOwner(project: project) }
    }
}
