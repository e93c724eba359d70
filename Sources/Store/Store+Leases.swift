import Foundation
import GRDB

extension Store {
    /// Hands `holder` the image to label next, leased to them until `duration` from now, in one write
    /// transaction: SQLite has one writer and an image one lease, so concurrent callers never get the
    /// same image. In order: the unexpired `annotate` lease they already hold on an image still to be
    /// labelled (asking again gives the same image), then an image a reviewer returned to them, then the
    /// first free unlabelled image after `after` (by id, wrapping). With `after` the caller is moving on
    /// from that image: their held lease is released instead of handed back, and `after` itself is not
    /// offered again. nil when nothing is left for them.
    /// `now` is the clock leases are taken and expire by (tests pass one; the server never does).
    public func leaseNext(
        project: Int64, holder: Holder, duration: TimeInterval, after: Int64? = nil, now: Date = Date()
    ) async throws -> LeasedImage? {
        try await database.write { db in
            try Self.requireProject(db, project)
            try Self.dropExpiredLeases(db, project: project, now: now)
            let expires = now.addingTimeInterval(duration)
            if after == nil, let held = try Int64.fetchOne(
                db,
                sql: """
                    SELECT l.imageId FROM imageLease l
                    JOIN image i ON i.id = l.imageId
                    LEFT JOIN annotation a ON a.imageId = l.imageId
                    WHERE l.projectId = ? AND l.holder = ? AND l.kind = 'annotate'
                      AND (i.status = 'unlabelled' OR (a.reviewState = 'returned' AND a.assignee = ?))
                    ORDER BY l.imageId LIMIT 1
                    """, arguments: [project, holder.id, holder.id])
            {
                return try Self.leased(db, project: project, image: held, kind: .annotate, holder: holder, until: expires)
            }
            // Moving on: whatever else this holder had open for labelling is free again.
            try db.execute(
                sql: "DELETE FROM imageLease WHERE projectId = ? AND holder = ? AND kind = 'annotate'",
                arguments: [project, holder.id])
            if let returned = try Int64.fetchOne(
                db,
                sql: """
                    SELECT a.imageId FROM annotation a JOIN image i ON i.id = a.imageId
                    WHERE i.projectId = ? AND a.reviewState = 'returned' AND a.assignee = ? AND a.imageId IS NOT ?
                      AND NOT EXISTS (SELECT 1 FROM imageLease l WHERE l.imageId = a.imageId)
                    ORDER BY a.updatedAt, a.imageId LIMIT 1
                    """, arguments: [project, holder.id, after])
            {
                return try Self.leased(db, project: project, image: returned, kind: .annotate, holder: holder, until: expires)
            }
            let free = """
                SELECT i.id FROM image i WHERE i.projectId = ? AND i.status = 'unlabelled'
                  AND NOT EXISTS (SELECT 1 FROM imageLease l WHERE l.imageId = i.id)
                """
            var next: Int64?
            if let after {
                next = try Int64.fetchOne(db, sql: free + " AND i.id > ? ORDER BY i.id LIMIT 1", arguments: [project, after])
            }
            if next == nil { next = try Int64.fetchOne(db, sql: free + " ORDER BY i.id LIMIT 1", arguments: [project]) }
            guard let next else { return nil }
            return try Self.leased(db, project: project, image: next, kind: .annotate, holder: holder, until: expires)
        }
    }

    /// Takes or renews `holder`'s lease on one image (the UI calls it while the image is open). An
    /// unexpired lease of someone else is `leasedByOther`; the holder's own lease keeps its kind.
    public func lease(project: Int64, image id: Int64, holder: Holder, duration: TimeInterval, now: Date = Date()) async throws
        -> ImageLease
    {
        try await database.write { db in
            _ = try Self.image(db, project: project, id: id)
            try Self.dropExpiredLeases(db, project: project, now: now)
            let current = try Self.currentLease(db, image: id, now: now)
            if let current, current.holder != holder.id {
                throw StoreError.leasedByOther(image: id, holder: current.holderName, until: current.expiresAt)
            }
            return try Self.leased(
                db, project: project, image: id, kind: current?.kind ?? .annotate, holder: holder,
                until: now.addingTimeInterval(duration)
            ).lease
        }
    }

    /// Gives up `holder`'s lease on an image; releasing a lease one does not hold (or that expired) does nothing.
    public func releaseLease(project: Int64, image id: Int64, holder: Holder) async throws {
        try await database.write { db in
            _ = try Self.image(db, project: project, id: id)
            try db.execute(sql: "DELETE FROM imageLease WHERE imageId = ? AND holder = ?", arguments: [id, holder.id])
        }
    }

    /// The image's unexpired lease, if any.
    public func currentLease(project: Int64, image id: Int64) async throws -> ImageLease? {
        try await database.read { db in
            _ = try Self.image(db, project: project, id: id)
            return try Self.currentLease(db, image: id)
        }
    }

    static func currentLease(_ db: Database, image: Int64, now: Date = Date()) throws -> ImageLease? {
        try ImageLease.fetchOne(
            db, sql: "SELECT * FROM imageLease WHERE imageId = ? AND expiresAt > ?", arguments: [image, now])
    }

    /// Expired leases return their images to the pool; removed lazily by whoever asks next.
    static func dropExpiredLeases(_ db: Database, project: Int64, now: Date) throws {
        try db.execute(sql: "DELETE FROM imageLease WHERE projectId = ? AND expiresAt <= ?", arguments: [project, now])
    }

    /// Refuses a change to an unlabelled image that someone else holds an unexpired lease on.
    static func requireNotLeasedByOther(_ db: Database, image: ImageRecord, holder: Holder?) throws {
        guard image.status == .unlabelled, let lease = try currentLease(db, image: image.id),
            lease.holder != holder?.id
        else { return }
        throw StoreError.leasedByOther(image: image.id, holder: lease.holderName, until: lease.expiresAt)
    }

    /// Writes (or moves) the image's lease to `holder` and returns the image with it.
    static func leased(
        _ db: Database, project: Int64, image id: Int64, kind: LeaseKind, holder: Holder, until: Date
    ) throws -> LeasedImage {
        try db.execute(
            sql: """
                INSERT INTO imageLease (imageId, projectId, kind, holder, holderName, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (imageId) DO UPDATE SET
                    kind = excluded.kind, holder = excluded.holder, holderName = excluded.holderName,
                    expiresAt = excluded.expiresAt
                """, arguments: [id, project, kind, holder.id, holder.name, until])
        let image = try Self.image(db, project: project, id: id)
        let lease = ImageLease(
            imageId: id, projectId: project, kind: kind, holder: holder.id, holderName: holder.name, expiresAt: until)
        var returned: ReviewNote?
        if let row = try Row.fetchOne(
            db, sql: "SELECT reviewComment, reviewedBy FROM annotation WHERE imageId = ? AND reviewState = 'returned'",
            arguments: [id])
        {
            returned = ReviewNote(comment: row["reviewComment"] ?? "", reviewer: row["reviewedBy"] ?? "")
        }
        return LeasedImage(image: image, lease: lease, returned: returned)
    }
}
