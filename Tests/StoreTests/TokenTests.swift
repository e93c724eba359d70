import Foundation
import GRDB
import Testing

@testable import Store

@Suite("API tokens")
struct TokenTests {
    @Test("a token authenticates by its secret until revoked")
    func lifecycle() async throws {
        let temp = try TemporaryStore()
        let (secret, token) = try await temp.store.createToken(name: "ana", isAdmin: false)
        #expect(secret.hasPrefix("lt_") && secret.count == 67)
        #expect(try await temp.store.authenticate(secret: secret)?.token == token)
        #expect(try await temp.store.authenticate(secret: secret)?.account.name == "ana")
        #expect(try await temp.store.authenticate(secret: secret + "x") == nil)
        try await temp.store.revokeToken(id: token.id)
        #expect(try await temp.store.authenticate(secret: secret) == nil)
    }

    @Test("only the hash is stored, never the secret")
    func hashedOnly() async throws {
        let temp = try TemporaryStore()
        let (secret, _) = try await temp.store.createToken(name: "ana", isAdmin: true)
        try temp.reopen()  // closing checkpoints the WAL into the main file
        let bytes = try Data(contentsOf: URL(fileURLWithPath: temp.path))
        #expect(bytes.range(of: Data(TokenHash.hex(secret).utf8)) != nil)
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
    }

    @Test("the first admin account and token are created once, on an empty store")
    func firstAdmin() async throws {
        let temp = try TemporaryStore()
        let secret = try #require(try await temp.store.createFirstAdmin(password: "first password"))
        #expect(try await temp.store.authenticate(secret: secret)?.account.isAdmin == true)
        #expect(try await temp.store.checkPassword(name: "admin", password: "first password")?.isAdmin == true)
        #expect(try await temp.store.createFirstAdmin() == nil)
    }

    @Test("a token row written before swift-crypto still authenticates by its secret")
    func storedHashStillAuthenticates() async throws {
        // The row as the old home-made SHA-256 stored it; the hash is hashlib.sha256(secret).hexdigest().
        let secret = "lt_" + String(repeating: "0123456789abcdef", count: 4)
        let stored = "f01d9950222267c972cb97826c74fc40b54fdd84638636b9c88d232abe07f4ce"
        #expect(TokenHash.hex(secret) == stored)
        let temp = try TemporaryStore()
        let path = temp.folder.appendingPathComponent("v5.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v5: live metric columns named for what they hold")
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO apiToken (name, hash, isAdmin, createdAt) VALUES ('old', ?, 0, ?)",
                arguments: [stored, Date()])
        }
        try queue.close()
        let store = try Store(path: path)
        defer { try? store.close() }
        #expect(try await store.authenticate(secret: secret)?.token.name == "old")
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(TokenHash.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenHash.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            TokenHash.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            TokenHash.hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
