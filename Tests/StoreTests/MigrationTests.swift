import Foundation
import Testing

@testable import Store

@Suite("migrations and durability settings")
struct MigrationTests {
    @Test("a fresh file gets the whole schema, in WAL mode with synchronous FULL")
    func freshFile() async throws {
        let temp = try TemporaryStore()
        #expect(
            try await temp.store.appliedMigrations() == [
                "v1: projects, images, annotations, training, tokens", "v2: semantic label maps", "v3: annotation versions",
                "v4: live evaluation of hidden pre-labels",
            ])
        #expect(try await temp.store.pragma("journal_mode") == "wal")
        #expect(try await temp.store.pragma("synchronous") == "2")  // 2 is FULL
        #expect(try await temp.store.pragma("foreign_keys") == "1")
    }

    @Test("reopening a migrated file applies nothing twice and keeps the data")
    func reopen() async throws {
        let temp = try TemporaryStore()
        _ = try await treeProject(temp.store)
        try temp.reopen()
        #expect(try await temp.store.appliedMigrations().count == 4)
        #expect(try await temp.store.projects().map(\.project.name) == ["trees"])
    }

    @Test("a file that is not a database is refused with the path in the error")
    func notADatabase() throws {
        let temp = try TemporaryStore()
        let path = temp.folder.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            try Store(path: path)
        } throws: { error in
            guard case .cannotOpen(let failedPath, _) = error as? StoreError else { return false }
            return failedPath == path
        }
    }
}
