import Formats
import Foundation
import GRDB
import Vision

extension Store {
    /// Validates and saves an image's annotation, appends it to the history and marks the image
    /// labelled, all in one transaction that is on disk when this returns.
    ///
    /// Boxes are clipped to the image within `AnnotationRules.clipTolerance`; anything else invalid
    /// (unknown class, non-finite or empty box, far outside, a mask or label map that does not fit
    /// the image, labels of another task) throws and stores nothing. With `expectedVersion`, a save
    /// over any other version (someone saved in between) throws `staleVersion` and stores nothing.
    ///
    /// `annotator` is who submits (kept in the history with `activeSeconds`, the time they measured);
    /// an unlabelled image someone else holds an unexpired lease on is `leasedByOther`. The submitter's
    /// labelling lease is released; a reviewer's lease stays (they accept next), and an edit made under
    /// it leaves the image its annotator's. Every save but an import waits for review.
    ///
    /// `opening` names the opening (from `recordOpened`) whose prediction the annotator corrected; the
    /// live evaluation scores that one, not a later opening they never saw. Absent: the latest opening.
    /// An opening of another image is `unknownOpening` and stores nothing.
    public func saveAnnotation(
        project: Int64, image id: Int64, objects: [DatasetObject], labels: LabelRuns? = nil, source: AnnotationSource,
        who: String, expectedVersion: Int? = nil, annotator: Holder? = nil, activeSeconds: Double? = nil,
        opening: Int64? = nil
    ) async throws -> SavedAnnotation {
        precondition(source != .deleted, "deletion is deleteAnnotation's job")
        if let activeSeconds, !(activeSeconds.isFinite && (0...Self.maxActiveSeconds).contains(activeSeconds)) {
            throw StoreError.invalidActiveSeconds(activeSeconds)
        }
        return try await database.write { db in
            var image = try Self.image(db, project: project, id: id)
            let scored = try Self.unscoredPrediction(db, image: id, opening: opening)
            let version = try Self.checkVersion(db, image: id, expected: expectedVersion) + 1
            try Self.requireNotLeasedByOther(db, image: image, holder: annotator)
            let lease = try Self.currentLease(db, image: id)
            let previousAssignee = try String.fetchOne(
                db, sql: "SELECT assignee FROM annotation WHERE imageId = ?", arguments: [id])
            let asReviewer = lease?.kind == .review && lease?.holder == annotator?.id
            let assignee = asReviewer ? (previousAssignee ?? annotator?.id) : annotator?.id
            let reviewState: ReviewState? = source == .imported ? nil : .pending
            let classCount =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM labelClass WHERE projectId = ?", arguments: [project]) ?? 0
            guard let task = try VisionTask.fetchOne(db, sql: "SELECT task FROM project WHERE id = ?", arguments: [project])
            else { throw StoreError.projectNotFound(project) }
            let checked = try AnnotationRules.validated(
                objects: objects, labels: labels, task: task, width: image.width, height: image.height,
                classCount: classCount)
            let json = try JSONText.encode(checked.objects)
            let labelsJSON = try checked.labels.map(JSONText.encode)
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO annotation (imageId, objects, labels, source, updatedBy, updatedAt, version, assignee, reviewState)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (imageId) DO UPDATE SET
                        objects = excluded.objects, labels = excluded.labels, source = excluded.source,
                        updatedBy = excluded.updatedBy, updatedAt = excluded.updatedAt, version = excluded.version,
                        assignee = excluded.assignee, reviewState = excluded.reviewState
                    """,
                arguments: [id, json, labelsJSON, source, who, now, version, assignee, reviewState])
            try Self.appendHistory(
                db, image: id, json: json, labels: labelsJSON, source: source, who: who, at: now, annotator: annotator?.id,
                activeSeconds: activeSeconds)
            try db.execute(sql: "UPDATE image SET status = 'labelled' WHERE id = ?", arguments: [id])
            if let annotator, !asReviewer {
                try db.execute(sql: "DELETE FROM imageLease WHERE imageId = ? AND holder = ?", arguments: [id, annotator.id])
            }
            image.status = .labelled
            let stored = try AnnotationRecord.fetchOne(db, sql: "SELECT * FROM annotation WHERE imageId = ?", arguments: [id])
            var annotation = AnnotationRecord(
                imageId: id, objects: checked.objects, labels: checked.labels, source: source, updatedBy: who,
                updatedAt: now, version: version, assignee: assignee, reviewState: reviewState)
            annotation.reviewComment = stored?.reviewComment
            annotation.reviewedBy = stored?.reviewedBy
            return SavedAnnotation(
                annotation: annotation, image: image, unscoredPrediction: scored)
        }
    }

    /// The current annotation of an image.
    public func annotation(project: Int64, image id: Int64) async throws -> AnnotationRecord {
        try await database.read { db in
            _ = try Self.image(db, project: project, id: id)
            guard
                let annotation = try AnnotationRecord.fetchOne(
                    db, sql: "SELECT * FROM annotation WHERE imageId = ?", arguments: [id])
            else { throw StoreError.annotationNotFound(image: id) }
            return annotation
        }
    }

    /// Every version of an image's annotation, oldest first, deletions included.
    public func history(project: Int64, image id: Int64) async throws -> [AnnotationHistoryEntry] {
        try await database.read { db in
            _ = try Self.image(db, project: project, id: id)
            return try AnnotationHistoryEntry.fetchAll(
                db, sql: "SELECT * FROM annotationHistory WHERE imageId = ? ORDER BY id", arguments: [id])
        }
    }

    /// The version the next save of an image replaces: its count of saves and deletions (0: never labelled).
    public func annotationVersion(project: Int64, image id: Int64) async throws -> Int {
        try await database.read { db in
            _ = try Self.image(db, project: project, id: id)
            return try Self.version(db, image: id)
        }
    }

    /// Removes an image's current annotation (the history keeps it) and returns the image to unlabelled;
    /// with `expectedVersion`, only if nobody saved since that version.
    public func deleteAnnotation(project: Int64, image id: Int64, who: String, expectedVersion: Int? = nil) async throws
        -> ImageRecord
    {
        try await database.write { db in
            _ = try Self.image(db, project: project, id: id)
            _ = try Self.checkVersion(db, image: id, expected: expectedVersion)
            try db.execute(sql: "DELETE FROM annotation WHERE imageId = ?", arguments: [id])
            guard db.changesCount > 0 else { throw StoreError.annotationNotFound(image: id) }
            try Self.appendHistory(db, image: id, json: "[]", labels: nil, source: .deleted, who: who, at: Date())
            try db.execute(sql: "UPDATE image SET status = 'unlabelled' WHERE id = ?", arguments: [id])
            return try Self.image(db, project: project, id: id)
        }
    }

    static func version(_ db: Database, image: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM annotationHistory WHERE imageId = ?", arguments: [image]) ?? 0
    }

    /// The image's current version, once it is `expected` (when given).
    static func checkVersion(_ db: Database, image: Int64, expected: Int?) throws -> Int {
        let current = try version(db, image: image)
        if let expected, expected != current { throw StoreError.staleVersion(image: image, expected: expected, current: current) }
        return current
    }

    /// The longest active time one version may claim: a day.
    public static let maxActiveSeconds = 86_400.0

    static func appendHistory(
        _ db: Database, image: Int64, json: String, labels: String?, source: AnnotationSource, who: String, at: Date,
        annotator: String? = nil, activeSeconds: Double? = nil
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO annotationHistory (imageId, objects, labels, source, who, at, annotator, activeSeconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [image, json, labels, source, who, at, annotator, activeSeconds])
    }
}

/// JSON text for columns that hold structured values.
enum JSONText {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
