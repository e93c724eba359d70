import Foundation
import GRDB

extension Store {
    /// Creates an account; `password` nil makes one that signs in only by token until a password is set.
    public func createAccount(name: String, password: String?, isAdmin: Bool) async throws -> Account {
        let name = try Names.validated(name, kind: "account")
        let hash = try password.map { password throws(StoreError) in
            if let problem = PasswordHash.problem(with: password) { throw .invalidPassword(problem) }
            return try PasswordHash.make(password)
        }
        return try await database.write { db in try Self.insertAccount(db, name: name, hash: hash, isAdmin: isAdmin) }
    }

    /// Every account, oldest first, without password hashes.
    public func accounts() async throws -> [Account] {
        try await database.read { db in
            try Account.fetchAll(db, sql: "SELECT \(Account.columns) FROM account ORDER BY id")
        }
    }

    public func account(_ id: Int64) async throws -> Account {
        try await database.read { db in try Self.account(db, id: id) }
    }

    /// Replaces an account's password; its sessions end (a changed password should lock out whoever had it).
    public func setPassword(account id: Int64, to password: String) async throws {
        if let problem = PasswordHash.problem(with: password) { throw StoreError.invalidPassword(problem) }
        let hash = try PasswordHash.make(password)
        try await database.write { db in
            _ = try Self.account(db, id: id)
            try db.execute(sql: "UPDATE account SET passwordHash = ? WHERE id = ?", arguments: [hash, id])
            try db.execute(sql: "DELETE FROM session WHERE accountId = ?", arguments: [id])
        }
    }

    /// Disables an account or enables it again. Disabling ends its sessions and hands back the images it
    /// holds (`leaseHolder`: its id in the lease table); its tokens stay, refused while it is disabled.
    /// `caller` cannot disable itself, so the caller, an enabled admin, always remains.
    public func setDisabled(account id: Int64, _ disabled: Bool, caller: Int64, leaseHolder: String) async throws -> Account {
        try await database.write { db in
            _ = try Self.account(db, id: id)
            guard disabled else {
                try db.execute(sql: "UPDATE account SET disabledAt = NULL WHERE id = ?", arguments: [id])
                return try Self.account(db, id: id)
            }
            if id == caller { throw StoreError.cannotDisableSelf }
            try db.execute(sql: "UPDATE account SET disabledAt = COALESCE(disabledAt, ?) WHERE id = ?", arguments: [Date(), id])
            try db.execute(sql: "DELETE FROM session WHERE accountId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM imageLease WHERE holder = ?", arguments: [leaseHolder])
            return try Self.account(db, id: id)
        }
    }

    /// The account when `name` and `password` match one, else nil. Unknown names cost as much time as
    /// wrong passwords.
    public func checkPassword(name: String, password: String) async throws -> Account? {
        let row = try await database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Account.columns), passwordHash FROM account WHERE name = ?",
                arguments: [name.trimmingCharacters(in: .whitespacesAndNewlines)])
        }
        guard let row, let hash = row["passwordHash"] as String? else {
            _ = PasswordHash.verify(password, against: PasswordHash.decoy)
            return nil
        }
        // Verified before the disabled check: a disabled account's name answers as slowly as any other.
        guard PasswordHash.verify(password, against: hash) else { return nil }
        let account = try Account(row: row)
        return account.isDisabled ? nil : account
    }

    static func insertAccount(_ db: Database, name: String, hash: String?, isAdmin: Bool) throws -> Account {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [name]) == true {
            throw StoreError.duplicateName(kind: "account", name: name)
        }
        try db.execute(
            sql: "INSERT INTO account (name, passwordHash, isAdmin, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [name, hash, isAdmin, Date()])
        return try account(db, id: db.lastInsertedRowID)
    }

    static func account(_ db: Database, id: Int64) throws -> Account {
        guard let account = try Account.fetchOne(db, sql: "SELECT \(Account.columns) FROM account WHERE id = ?", arguments: [id])
        else { throw StoreError.accountNotFound(id) }
        return account
    }
}
