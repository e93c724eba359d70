import Foundation
import GRDB
import Testing

@testable import Store

@Suite("accounts, passwords, sessions and project members")
struct AccountTests {
    @Test("a password verifies against its argon2id hash; a wrong one, a changed hash or an unknown name does not")
    func passwords() async throws {
        let hash = try PasswordHash.make("correct horse")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(PasswordHash.verify("correct horse", against: hash))
        #expect(!PasswordHash.verify("correct horsE", against: hash))
        #expect(!PasswordHash.verify("", against: hash))
        #expect(try PasswordHash.make("correct horse") != hash, "each hash has its own salt")
        let tampered = String(hash.dropLast()) + (hash.last == "A" ? "B" : "A")
        #expect(!PasswordHash.verify("correct horse", against: tampered))

        let temp = try TemporaryStore()
        let ana = try await temp.store.createAccount(name: "Ana", password: "correct horse", isAdmin: false)
        #expect(ana.hasPassword && !ana.isAdmin)
        #expect(try await temp.store.checkPassword(name: "ana", password: "correct horse")?.id == ana.id, "names ignore case")
        #expect(try await temp.store.checkPassword(name: "Ana", password: "wrong horse") == nil)
        #expect(try await temp.store.checkPassword(name: "nobody", password: "correct horse") == nil)
        await #expect(throws: StoreError.duplicateName(kind: "account", name: "ANA")) {
            try await temp.store.createAccount(name: "ANA", password: "another one", isAdmin: false)
        }
        await #expect(throws: StoreError.invalidPassword("shorter than 8 characters")) {
            try await temp.store.createAccount(name: "ben", password: "short", isAdmin: false)
        }
        await #expect(throws: StoreError.invalidPassword("longer than 256 characters")) {
            try await temp.store.createAccount(name: "ben", password: String(repeating: "é", count: 257), isAdmin: false)
        }
        try temp.reopen()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: temp.path))
        #expect(bytes.range(of: Data("correct horse".utf8)) == nil, "only the hash is stored")
    }

    @Test("a session is found by its secret until it expires or ends; a new password ends it")
    func sessions() async throws {
        let temp = try TemporaryStore()
        let ana = try await temp.store.createAccount(name: "ana", password: "correct horse", isAdmin: false)
        let (secret, session) = try await temp.store.createSession(account: ana.id, lifetime: 3600)
        #expect(try await temp.store.session(secret: secret)?.session == session)
        #expect(try await temp.store.session(secret: secret + "0") == nil)
        let (expired, _) = try await temp.store.createSession(account: ana.id, lifetime: -1)
        #expect(try await temp.store.session(secret: expired) == nil)
        try await temp.store.deleteSession(session.id)
        #expect(try await temp.store.session(secret: secret) == nil)
        let (other, _) = try await temp.store.createSession(account: ana.id, lifetime: 3600)
        try await temp.store.setPassword(account: ana.id, to: "battery staple")
        #expect(try await temp.store.session(secret: other) == nil)
        #expect(try await temp.store.checkPassword(name: "ana", password: "battery staple") != nil)
    }

    @Test("a project's creator owns it; members get roles; the last owner stays")
    func members() async throws {
        let temp = try TemporaryStore()
        let ana = try await temp.store.createAccount(name: "ana", password: nil, isAdmin: false)
        let ben = try await temp.store.createAccount(name: "ben", password: nil, isAdmin: false)
        let project = try await temp.store.createProject(name: "trees", task: .detection, classes: [], owner: ana.id).project.id
        #expect(try await temp.store.role(project: project, account: ana.id) == .owner)
        #expect(try await temp.store.role(project: project, account: ben.id) == nil)
        #expect(try await temp.store.projects(memberOf: ben.id).isEmpty)
        _ = try await temp.store.setMember(project: project, accountName: "BEN", role: .reviewer)
        #expect(try await temp.store.members(project: project).map(\.role) == [.owner, .reviewer])
        #expect(try await temp.store.projects(memberOf: ben.id).map(\.1) == [.reviewer])
        await #expect(throws: StoreError.lastOwner(project: project)) {
            try await temp.store.setMember(project: project, accountName: "ana", role: .annotator)
        }
        await #expect(throws: StoreError.lastOwner(project: project)) {
            try await temp.store.removeMember(project: project, account: ana.id)
        }
        await #expect(throws: StoreError.accountNameNotFound("eve")) {
            try await temp.store.setMember(project: project, accountName: "eve", role: .annotator)
        }
        try await temp.store.removeMember(project: project, account: ben.id)
        #expect(try await temp.store.role(project: project, account: ben.id) == nil)
        #expect(ProjectRole.reviewer.permits(.review) && ProjectRole.reviewer.permits(.annotate))
        #expect(!ProjectRole.annotator.permits(.review) && !ProjectRole.reviewer.permits(.manage))
        #expect(ProjectRole.owner.permits(.manage))
    }

    @Test("migration v7 gives each old token an account: admins stay admins, others own every existing project")
    func legacyTokens() async throws {
        let temp = try TemporaryStore()
        let path = temp.folder.appendingPathComponent("v5.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v5: live metric columns named for what they hold")
        let secrets = ["lt_admin", "lt_ana", "lt_ana2", "lt_gone"]
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO project (name, task, createdAt) VALUES ('trees', 'detection', ?)", arguments: [Date()])
            for (name, secret, admin, revoked) in [
                ("admin", secrets[0], true, false), ("ana", secrets[1], false, false), ("Ana", secrets[2], false, false),
                ("gone", secrets[3], false, true),
            ] {
                try db.execute(
                    sql: "INSERT INTO apiToken (name, hash, isAdmin, createdAt, revokedAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [name, TokenHash.hex(secret), admin, Date(), revoked ? Date() : nil])
            }
        }
        try queue.close()
        let store = try Store(path: path)
        defer { try? store.close() }
        let admin = try #require(try await store.authenticate(secret: secrets[0]))
        #expect(admin.account.isAdmin && admin.account.name == "admin" && !admin.account.hasPassword)
        let ana = try #require(try await store.authenticate(secret: secrets[1]))
        let ana2 = try #require(try await store.authenticate(secret: secrets[2]))
        #expect(ana.account.name == "ana" && ana2.account.name == "Ana #3", "a taken name gets the token's id")
        #expect(try await store.role(project: 1, account: ana.account.id) == .owner)
        #expect(try await store.role(project: 1, account: ana2.account.id) == .owner)
        #expect(try await store.role(project: 1, account: admin.account.id) == nil, "admins see every project anyway")
        #expect(try await store.authenticate(secret: secrets[3]) == nil, "a revoked token stays revoked")
        #expect(try await store.accounts().count == 4)
    }
}
