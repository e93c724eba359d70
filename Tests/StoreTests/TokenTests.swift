import Foundation
import Testing

@testable import Store

@Suite("API tokens")
struct TokenTests {
    @Test("a token authenticates by its secret until revoked")
    func lifecycle() async throws {
        let temp = try TemporaryStore()
        let (secret, token) = try await temp.store.createToken(name: "ana", isAdmin: false)
        #expect(secret.hasPrefix("lt_") && secret.count == 67)
        #expect(try await temp.store.authenticate(secret: secret) == token)
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
        #expect(bytes.range(of: Data(SHA256.hex(secret).utf8)) != nil)
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
    }

    @Test("the first admin token is created once, on an empty token table")
    func firstAdmin() async throws {
        let temp = try TemporaryStore()
        let secret = try #require(try await temp.store.createFirstAdminToken())
        #expect(try await temp.store.authenticate(secret: secret)?.isAdmin == true)
        #expect(try await temp.store.createFirstAdminToken() == nil)
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
