import Foundation
import GRDB

extension Store {
    /// Hands `reviewer` the oldest submitted annotation not yet reviewed, leased to them like `leaseNext`
    /// leases images to annotators (the same unexpired review lease comes back when they ask again).
    /// Their own annotations are skipped: review is a second pair of eyes.
    public func leaseNextReview(project: Int64, reviewer: Holder, duration: TimeInterval) async throws -> LeasedImage? {
        try await database.write { db in
            try Self.requireProject(db, project)
            let now = Date()
            try Self.dropExpiredLeases(db, project: project, now: now)
            let expires = now.addingTimeInterval(duration)
            if let held = try Int64.fetchOne(
                db,
                sql: """
                    SELECT l.imageId FROM imageLease l JOIN annotation a ON a.imageId = l.imageId
                    WHERE l.projectId = ? AND l.holder = ? AND l.kind = 'review' AND a.reviewState = 'pending'
                    ORDER BY l.imageId LIMIT 1
                    """, arguments: [project, reviewer.id])
            {
                return try Self.leased(db, project: project, image: held, kind: .review, holder: reviewer, until: expires)
            }
            try db.execute(
                sql: "DELETE FROM imageLease WHERE projectId = ? AND holder = ? AND kind = 'review'",
                arguments: [project, reviewer.id])
            guard
                let next = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT a.imageId FROM annotation a JOIN image i ON i.id = a.imageId
                        WHERE i.projectId = ? AND a.reviewState = 'pending' AND a.assignee IS NOT ?
                          AND NOT EXISTS (SELECT 1 FROM imageLease l WHERE l.imageId = a.imageId)
                        ORDER BY a.updatedAt, a.imageId LIMIT 1
                        """, arguments: [project, reviewer.id])
            else { return nil }
            return try Self.leased(db, project: project, image: next, kind: .review, holder: reviewer, until: expires)
        }
    }

    /// Records a reviewer's decision on the image's current annotation: `accept` marks it accepted (exports
    /// can keep only those); `return` sends it back to its annotator with `comment`, who gets it first from
    /// `leaseNext`. With `expectedVersion`, a decision about any other version is `staleVersion`. Anyone
    /// else's unexpired lease on the image refuses it; the reviewer's own lease is released. The image's
    /// annotator (its assignee, which a reviewer's edit leaves unchanged) cannot decide on it: `ownWork`.
    public func review(
        project: Int64, image id: Int64, decision: ReviewDecision, comment: String, reviewer: Holder,
        expectedVersion: Int? = nil
    ) async throws -> AnnotationRecord {
        try await database.write { db in
            _ = try Self.image(db, project: project, id: id)
            guard
                var annotation = try AnnotationRecord.fetchOne(
                    db, sql: "SELECT * FROM annotation WHERE imageId = ?", arguments: [id])
            else { throw StoreError.annotationNotFound(image: id) }
            _ = try Self.checkVersion(db, image: id, expected: expectedVersion)
            if annotation.assignee == reviewer.id { throw StoreError.ownWork(image: id) }
            if let lease = try Self.currentLease(db, image: id), lease.holder != reviewer.id {
                throw StoreError.leasedByOther(image: id, holder: lease.holderName, until: lease.expiresAt)
            }
            if decision == .return, comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw StoreError.invalidReview(reason: "returning an image needs a comment saying what to fix")
            }
            guard comment.count <= 2000 else { throw StoreError.invalidReview(reason: "a comment is at most 2000 characters") }
            let state: ReviewState = decision == .accept ? .accepted : .returned
            let now = Date()
            try db.execute(
                sql: "UPDATE annotation SET reviewState = ?, reviewComment = ?, reviewedBy = ? WHERE imageId = ?",
                arguments: [state, comment, reviewer.name, id])
            try db.execute(
                sql: """
                    INSERT INTO review (imageId, version, decision, comment, reviewer, reviewerName, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, annotation.version, decision, comment, reviewer.id, reviewer.name, now])
            try db.execute(sql: "DELETE FROM imageLease WHERE imageId = ? AND holder = ?", arguments: [id, reviewer.id])
            annotation.reviewState = state
            annotation.reviewComment = comment
            annotation.reviewedBy = reviewer.name
            return annotation
        }
    }
}

/// How many of a project's annotations are in each review state.
public struct ReviewCounts: Sendable, Equatable, Codable {
    public var pending: Int
    public var accepted: Int
    public var returned: Int
    public init(pending: Int, accepted: Int, returned: Int) {
        self.pending = pending
        self.accepted = accepted
        self.returned = returned
    }
}

extension Store {
    public func reviewCounts(project: Int64) async throws -> ReviewCounts {
        try await database.read { db in
            try Self.requireProject(db, project)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.reviewState AS state, COUNT(*) AS n FROM annotation a JOIN image i ON i.id = a.imageId
                    WHERE i.projectId = ? AND a.reviewState IS NOT NULL GROUP BY a.reviewState
                    """, arguments: [project])
            var counts = ReviewCounts(pending: 0, accepted: 0, returned: 0)
            for row in rows {
                let n: Int = row["n"]
                switch ReviewState(rawValue: row["state"]) {
                case .pending: counts.pending = n
                case .accepted: counts.accepted = n
                case .returned: counts.returned = n
                case nil: break
                }
            }
            return counts
        }
    }
}
