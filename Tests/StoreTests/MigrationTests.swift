import Foundation
import GRDB
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
                "v4: live evaluation of hidden pre-labels", "v5: live metric columns named for what they hold",
                "v6: image leases, review and annotation time",
                "v7: accounts, sessions and project members", "v8: disabled accounts",
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
        #expect(try await temp.store.appliedMigrations().count == 8)
        #expect(try await temp.store.projects().map(\.project.name) == ["trees"])
    }

    @Test("a live evaluation stored under the old ap/ap50 columns reads back as primary/secondary after v5")
    func liveMetricColumnsRenamed() async throws {
        let temp = try TemporaryStore()
        let (project, image): (Int64, Int64) = (1, 1)
        // A file as a v4 server left it: the schema up to v4 and one row in the old columns.
        let path = temp.folder.appendingPathComponent("v4.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v4: live evaluation of hidden pre-labels")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO project (id, name, task, createdAt) VALUES (?, 'trees', 'semantic', ?)", arguments: [project, Date()])
            try db.execute(
                sql: """
                    INSERT INTO image (id, projectId, fileName, originalName, width, height, status, addedAt)
                    VALUES (?, ?, 'a.png', 'a.png', 4, 4, 'labelled', ?)
                    """, arguments: [image, project, Date()])
            try db.execute(
                sql: "INSERT INTO openedPrediction (id, imageId, openedBy, openedAt, shown) VALUES (1, ?, 'x', ?, 1)",
                arguments: [image, Date()])
            try db.execute(
                sql: """
                    INSERT INTO liveEvaluation (imageId, openedPredictionId, ap, ap50, emaAfter, ema50After, at)
                    VALUES (?, 1, 0.5, 0.25, 0.4, 0.2, ?)
                    """, arguments: [image, Date()])
        }
        try queue.close()
        let store = try Store(path: path)
        defer { try? store.close() }
        let evaluations = try await store.evaluations(project: project)
        #expect(evaluations.map { [$0.primary, $0.secondary, $0.primaryEMA, $0.secondaryEMA] } == [[0.5, 0.25, 0.4, 0.2]])
        #expect(try await store.projects().map(\.project.task) == [.semantic], "the stored task's raw value still reads")
    }

    @Test("after v6, labels people made wait for review and imported ones do not; nothing is leased")
    func reviewStateOfOlderLabels() async throws {
        let temp = try TemporaryStore()
        let path = temp.folder.appendingPathComponent("v5.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v5: live metric columns named for what they hold")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO project (id, name, task, createdAt) VALUES (1, 'trees', 'detection', ?)", arguments: [Date()])
            for (id, source) in [(1, "drawn"), (2, "imported")] {
                try db.execute(
                    sql: """
                        INSERT INTO image (id, projectId, fileName, originalName, width, height, status, addedAt)
                        VALUES (?, 1, ?, ?, 4, 4, 'labelled', ?)
                        """, arguments: [id, "\(id).png", "\(id).png", Date()])
                try db.execute(
                    sql: "INSERT INTO annotation (imageId, objects, source, updatedBy, updatedAt, version) VALUES (?, '[]', ?, 'ana', ?, 1)",
                    arguments: [id, source, Date()])
            }
        }
        try queue.close()
        let store = try Store(path: path)
        defer { try? store.close() }
        #expect(try await store.annotation(project: 1, image: 1).reviewState == .pending)
        #expect(try await store.annotation(project: 1, image: 2).reviewState == nil)
        #expect(try await store.currentLease(project: 1, image: 1) == nil)
        #expect(try await store.reviewCounts(project: 1) == ReviewCounts(pending: 1, accepted: 0, returned: 0))
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
