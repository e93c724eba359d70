import Foundation
import GRDB

/// The durable record of projects, images, annotations and training history, in one SQLite file.
///
/// Every write is one transaction, committed to disk before the function returns: the database runs in
/// WAL mode with `synchronous = FULL`, so the server can reply "saved" and mean it, even if the process
/// is killed or the machine loses power right after.
public final class Store: Sendable {
    let database: DatabasePool
    /// The SQLite file.
    public let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL when it enables WAL, and in WAL mode NORMAL may lose the last commits
            // on power loss; FULL syncs the log at every commit. Only the one writer connection writes.
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try StoreMigrations.migrator.migrate(database)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// Runs `body` with commits synced only at WAL checkpoints (`synchronous = NORMAL`), then restores FULL:
    /// for bulk fills whose last commits may be lost on power loss (benchmarks generating projects), where
    /// a sync per commit would cost most of the time.
    public func withoutSyncPerCommit<T>(_ body: () async throws -> T) async throws -> T {
        try await database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        defer { try? database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") } }
        return try await body()
    }

    /// Closes the database; later calls fail. Checkpoints the WAL into the main file.
    public func close() throws {
        try database.close()
    }

    /// The names of the migrations applied, oldest first (for diagnostics and tests).
    public func appliedMigrations() async throws -> [String] {
        try await database.read { db in try StoreMigrations.migrator.appliedMigrations(db) }
    }

    /// A pragma's current value as text, e.g. "journal_mode" (for diagnostics and tests).
    public func pragma(_ name: String) async throws -> String? {
        precondition(name.allSatisfy { $0.isLetter || $0 == "_" }, "pragma names are letters and underscores")
        return try await database.write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
