import Foundation
import GRDB

extension Store {
    /// Records that an image was opened, the model's prediction then (JSON, nil when there was none) and
    /// whether it was shown as a pre-label.
    public func recordOpened(
        project: Int64, image id: Int64, prediction: String?, shown: Bool, modelStep: Int?, who: String
    ) async throws -> OpenedPrediction {
        try await database.write { db in
            _ = try Self.image(db, project: project, id: id)
            try db.execute(
                sql: """
                    INSERT INTO openedPrediction (imageId, prediction, shown, modelStep, openedBy, openedAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, prediction, shown && prediction != nil, modelStep, who, Date()])
            return try OpenedPrediction.fetchOne(
                db, sql: "SELECT * FROM openedPrediction WHERE id = ?", arguments: [db.lastInsertedRowID])!
        }
    }

    /// An image's openings, oldest first.
    public func openedPredictions(project: Int64, image id: Int64) async throws -> [OpenedPrediction] {
        try await database.read { db in
            _ = try Self.image(db, project: project, id: id)
            return try OpenedPrediction.fetchAll(
                db, sql: "SELECT * FROM openedPrediction WHERE imageId = ? ORDER BY id", arguments: [id])
        }
    }

    /// Stores the live score of an opened prediction; a prediction is scored once, later calls return nil.
    @discardableResult
    public func recordEvaluation(
        openedPrediction: Int64, primary: Double, secondary: Double, primaryEMA: Double, secondaryEMA: Double,
        perClass: [String: Double]? = nil
    ) async throws
        -> LiveEvaluation?
    {
        try await database.write { db in
            guard
                let imageId = try Int64.fetchOne(
                    db, sql: "SELECT imageId FROM openedPrediction WHERE id = ?", arguments: [openedPrediction])
            else { return nil }
            try db.execute(
                sql: """
                    INSERT INTO liveEvaluation (imageId, openedPredictionId, "primary", secondary, primaryEMA, secondaryEMA, at, perClass)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (openedPredictionId) DO NOTHING
                    """,
                arguments: [imageId, openedPrediction, primary, secondary, primaryEMA, secondaryEMA, Date(), try perClass.map(JSONText.encode)])
            guard db.changesCount > 0 else { return nil }
            return try LiveEvaluation.fetchOne(
                db, sql: Self.evaluationSelect + " WHERE liveEvaluation.id = ?", arguments: [db.lastInsertedRowID])
        }
    }

    /// A project's live evaluations in the order images were submitted.
    public func evaluations(project: Int64) async throws -> [LiveEvaluation] {
        try await database.read { db in
            try Self.requireProject(db, project)
            return try LiveEvaluation.fetchAll(
                db,
                sql: Self.evaluationSelect + """
                     JOIN image ON image.id = liveEvaluation.imageId
                    WHERE image.projectId = ? ORDER BY liveEvaluation.id
                    """,
                arguments: [project])
        }
    }

    /// Records a checkpoint file the trainer wrote.
    @discardableResult
    public func recordCheckpoint(project: Int64, step: Int, path: String) async throws -> Checkpoint {
        try await database.write { db in
            try Self.requireProject(db, project)
            try db.execute(
                sql: "INSERT INTO checkpoint (projectId, step, path, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [project, step, path, Date()])
            return try Checkpoint.fetchOne(
                db, sql: "SELECT * FROM checkpoint WHERE id = ?", arguments: [db.lastInsertedRowID])!
        }
    }

    /// The checkpoint with the highest step (the latest written among equals), or nil.
    public func latestCheckpoint(project: Int64) async throws -> Checkpoint? {
        try await database.read { db in
            try Self.requireProject(db, project)
            return try Checkpoint.fetchOne(
                db, sql: "SELECT * FROM checkpoint WHERE projectId = ? ORDER BY step DESC, id DESC LIMIT 1",
                arguments: [project])
        }
    }

    /// Evaluations with whether their prediction was shown and the model step that made it.
    static let evaluationSelect = """
        SELECT liveEvaluation.*, openedPrediction.shown, openedPrediction.modelStep FROM liveEvaluation
        JOIN openedPrediction ON openedPrediction.id = liveEvaluation.openedPredictionId
        """

    /// The opened prediction a submit answers (the one named, else the image's latest), when the model
    /// made one that has not been scored (shown or not). Naming another image's opening throws.
    static func unscoredPrediction(_ db: Database, image: Int64, opening: Int64? = nil) throws -> OpenedPrediction? {
        let row: OpenedPrediction?
        if let opening {
            row = try OpenedPrediction.fetchOne(
                db, sql: "SELECT * FROM openedPrediction WHERE id = ? AND imageId = ?", arguments: [opening, image])
            if row == nil { throw StoreError.unknownOpening(image: image, opening: opening) }
        } else {
            row = try OpenedPrediction.fetchOne(
                db, sql: "SELECT * FROM openedPrediction WHERE imageId = ? ORDER BY id DESC LIMIT 1", arguments: [image])
        }
        guard let row, row.prediction != nil else { return nil }
        let scored =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM liveEvaluation WHERE openedPredictionId = ?", arguments: [row.id]) ?? false
        return scored ? nil : row
    }
}
