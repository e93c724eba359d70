import Foundation
import GRDB

extension Store {
    /// Records an image whose file the caller has already written into the project's image folder.
    public func addImage(
        project: Int64, fileName: String, originalName: String, width: Int, height: Int
    ) async throws -> ImageRecord {
        precondition(width > 0 && height > 0, "image sides must be positive")
        return try await database.write { db in
            try Self.requireProject(db, project)
            try db.execute(
                sql: """
                    INSERT INTO image (projectId, fileName, originalName, width, height, status, addedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [project, fileName, originalName, width, height, ImageStatus.unlabelled, Date()])
            return try Self.image(db, project: project, id: db.lastInsertedRowID)
        }
    }

    /// One image of a project; an image of another project is "not found" here.
    public func image(project: Int64, id: Int64) async throws -> ImageRecord {
        try await database.read { db in try Self.image(db, project: project, id: id) }
    }

    /// A page of a project's images in the order they were added, optionally only those with `status`.
    public func images(project: Int64, status: ImageStatus? = nil, offset: Int = 0, limit: Int = 100) async throws
        -> ImagePage
    {
        guard offset >= 0 else { throw StoreError.invalidPaging(reason: "offset \(offset) is negative") }
        guard (1...1000).contains(limit) else { throw StoreError.invalidPaging(reason: "limit \(limit) is not in 1...1000") }
        return try await database.read { db in
            try Self.requireProject(db, project)
            let filter = status == nil ? "" : " AND status = ?"
            var arguments: StatementArguments = [project]
            if let status { arguments += [status] }
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM image WHERE projectId = ?" + filter, arguments: arguments) ?? 0
            let items = try ImageRecord.fetchAll(
                db, sql: "SELECT * FROM image WHERE projectId = ?" + filter + " ORDER BY id LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset])
            return ImagePage(total: total, items: items)
        }
    }

    /// The next unlabelled image after `after` (by id), wrapping to the first; nil when none is left.
    public func nextUnlabelled(project: Int64, after: Int64? = nil) async throws -> ImageRecord? {
        try await database.read { db in
            try Self.requireProject(db, project)
            let sql = "SELECT * FROM image WHERE projectId = ? AND status = 'unlabelled'"
            if let after,
                let next = try ImageRecord.fetchOne(
                    db, sql: sql + " AND id > ? ORDER BY id LIMIT 1", arguments: [project, after])
            {
                return next
            }
            return try ImageRecord.fetchOne(db, sql: sql + " ORDER BY id LIMIT 1", arguments: [project])
        }
    }

    /// Marks an unlabelled image as skipped (skipping again is harmless); a labelled image cannot be
    /// skipped, nor one someone else holds an unexpired lease on. The skipper's lease is released.
    public func skipImage(project: Int64, id: Int64, holder: Holder? = nil) async throws -> ImageRecord {
        try await database.write { db in
            let image = try Self.image(db, project: project, id: id)
            if image.status == .labelled { throw StoreError.alreadyLabelled(image: id) }
            try Self.requireNotLeasedByOther(db, image: image, holder: holder)
            if let holder {
                try db.execute(sql: "DELETE FROM imageLease WHERE imageId = ? AND holder = ?", arguments: [id, holder.id])
            }
            try db.execute(sql: "UPDATE image SET status = 'skipped' WHERE id = ?", arguments: [id])
            return try Self.image(db, project: project, id: id)
        }
    }

    /// Every image of a project with its current annotation (nil when it has none), for exports.
    public func imagesWithAnnotations(project: Int64) async throws -> [(image: ImageRecord, annotation: AnnotationRecord?)] {
        try await database.read { db in
            try Self.requireProject(db, project)
            let images = try ImageRecord.fetchAll(
                db, sql: "SELECT * FROM image WHERE projectId = ? ORDER BY id", arguments: [project])
            let annotations = try AnnotationRecord.fetchAll(
                db,
                sql: "SELECT annotation.* FROM annotation JOIN image ON image.id = annotation.imageId WHERE projectId = ?",
                arguments: [project])
            let byImage = Dictionary(uniqueKeysWithValues: annotations.map { ($0.imageId, $0) })
            return images.map { (image: $0, annotation: byImage[$0.id]) }
        }
    }

    static func image(_ db: Database, project: Int64, id: Int64) throws -> ImageRecord {
        try requireProject(db, project)
        guard
            let image = try ImageRecord.fetchOne(
                db, sql: "SELECT * FROM image WHERE id = ? AND projectId = ?", arguments: [id, project])
        else { throw StoreError.imageNotFound(project: project, image: id) }
        return image
    }
}
