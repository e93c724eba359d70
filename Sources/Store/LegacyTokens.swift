import Foundation
import GRDB

/// Migration v7's move of existing tokens to accounts: every token keeps working with the rights it had.
///
/// Each token becomes its own password-less account named like it (a name taken by an earlier token
/// gets " #<token id>"), admin if the token was. Before v7 every token could work in every project, so
/// each live non-admin token's account becomes an owner of every existing project (the nearest role to
/// the old rights; deleting a project, admin-only before, is an owner's right now). An admin can later
/// set passwords so these people sign in by name.
enum LegacyTokens {
    static func giveAccounts(_ db: Database) throws {
        let tokens = try Row.fetchAll(db, sql: "SELECT id, name, isAdmin, createdAt, revokedAt FROM apiToken ORDER BY id")
        for token in tokens {
            let id: Int64 = token["id"]
            let isAdmin: Bool = token["isAdmin"]
            var name: String = token["name"]
            while try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [name]) == true {
                name += " #\(id)"
            }
            try db.execute(
                sql: "INSERT INTO account (name, passwordHash, isAdmin, createdAt) VALUES (?, NULL, ?, ?)",
                arguments: [name, isAdmin, token["createdAt"] as Date])
            let account = db.lastInsertedRowID
            try db.execute(sql: "UPDATE apiToken SET accountId = ? WHERE id = ?", arguments: [account, id])
            if !isAdmin, token["revokedAt"] as Date? == nil {
                try db.execute(
                    sql: "INSERT INTO projectMember (projectId, accountId, role) SELECT id, ?, 'owner' FROM project",
                    arguments: [account])
            }
        }
    }
}
