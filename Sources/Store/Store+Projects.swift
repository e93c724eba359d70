import Foundation
import GRDB
import Vision

extension Store {
    /// Creates a project with its classes (indices 0, 1, ... in the given order) in one transaction;
    /// `owner`'s account becomes its first owner.
    public func createProject(name: String, task: VisionTask, classes: [NewClass], owner: Int64? = nil) async throws
        -> ProjectSummary
    {
        let name = try Names.validated(name, kind: "project")
        let checked = try classes.enumerated().map { index, new in
            (
                name: try Names.validated(new.name, kind: "class"),
                colour: try Colours.validated(new.colour) ?? Colours.palette(index)
            )
        }
        if let repeated = Names.firstDuplicate(checked.map(\.name)) {
            throw StoreError.duplicateName(kind: "class", name: repeated)
        }
        return try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM project WHERE name = ?", arguments: [name]) == true {
                throw StoreError.duplicateName(kind: "project", name: name)
            }
            try db.execute(
                sql: "INSERT INTO project (name, task, createdAt) VALUES (?, ?, ?)",
                arguments: [name, task, Date()])
            let id = db.lastInsertedRowID
            for (index, item) in checked.enumerated() {
                try db.execute(
                    sql: #"INSERT INTO labelClass (projectId, "index", name, colour) VALUES (?, ?, ?, ?)"#,
                    arguments: [id, index, item.name, item.colour])
            }
            if let owner {
                try db.execute(
                    sql: "INSERT INTO projectMember (projectId, accountId, role) VALUES (?, ?, 'owner')", arguments: [id, owner])
            }
            return try Self.summary(db, project: id)
        }
    }

    /// Every project with its classes and progress, oldest first.
    public func projects() async throws -> [ProjectSummary] {
        try await database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM project ORDER BY id").map { try Self.summary(db, project: $0) }
        }
    }

    /// One project with its classes and progress.
    public func project(_ id: Int64) async throws -> ProjectSummary {
        try await database.read { db in try Self.summary(db, project: id) }
    }

    /// Deletes a project with its classes, images, annotations, history, evaluations and checkpoint
    /// records (foreign keys cascade) in one transaction. Image and checkpoint files are the caller's.
    public func deleteProject(_ id: Int64) async throws {
        try await database.write { db in
            try Self.requireProject(db, id)
            try db.execute(sql: "DELETE FROM project WHERE id = ?", arguments: [id])
        }
    }

    /// Appends a class to a project; it gets the next free index.
    public func addClass(project: Int64, name: String, colour: String? = nil) async throws -> LabelClass {
        let name = try Names.validated(name, kind: "class")
        let colour = try Colours.validated(colour)
        return try await database.write { db in
            try Self.requireProject(db, project)
            return try Self.insertClass(db, project: project, name: name, colour: colour)
        }
    }

    /// A project's classes in index order.
    public func classes(project: Int64) async throws -> [LabelClass] {
        try await database.read { db in
            try Self.requireProject(db, project)
            return try Self.classes(db, project: project)
        }
    }

    static func insertClass(_ db: Database, project: Int64, name: String, colour: String?) throws -> LabelClass {
        if try Bool.fetchOne(
            db, sql: "SELECT 1 FROM labelClass WHERE projectId = ? AND name = ?", arguments: [project, name]) == true
        {
            throw StoreError.duplicateName(kind: "class", name: name)
        }
        let index =
            try Int.fetchOne(
                db, sql: #"SELECT COALESCE(MAX("index") + 1, 0) FROM labelClass WHERE projectId = ?"#,
                arguments: [project]) ?? 0
        let labelClass = LabelClass(
            projectId: project, index: index, name: name, colour: colour ?? Colours.palette(index))
        try db.execute(
            sql: #"INSERT INTO labelClass (projectId, "index", name, colour) VALUES (?, ?, ?, ?)"#,
            arguments: [project, index, name, labelClass.colour])
        return labelClass
    }

    static func requireProject(_ db: Database, _ id: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM project WHERE id = ?", arguments: [id]) == true else {
            throw StoreError.projectNotFound(id)
        }
    }

    static func classes(_ db: Database, project: Int64) throws -> [LabelClass] {
        try LabelClass.fetchAll(
            db, sql: #"SELECT * FROM labelClass WHERE projectId = ? ORDER BY "index""#, arguments: [project])
    }

    static func summary(_ db: Database, project id: Int64) throws -> ProjectSummary {
        guard let project = try Project.fetchOne(db, sql: "SELECT * FROM project WHERE id = ?", arguments: [id]) else {
            throw StoreError.projectNotFound(id)
        }
        let rows = try Row.fetchAll(
            db, sql: "SELECT status, COUNT(*) AS n FROM image WHERE projectId = ? GROUP BY status", arguments: [id])
        var byStatus: [ImageStatus: Int] = [:]
        for row in rows {
            if let status = ImageStatus(rawValue: row["status"]) { byStatus[status] = row["n"] }
        }
        let counts = ImageCounts(
            total: byStatus.values.reduce(0, +), unlabelled: byStatus[.unlabelled] ?? 0,
            labelled: byStatus[.labelled] ?? 0, skipped: byStatus[.skipped] ?? 0)
        return ProjectSummary(project: project, classes: try classes(db, project: id), counts: counts)
    }
}
