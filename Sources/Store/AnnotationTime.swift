import Foundation
import GRDB

/// One submitted version of an image's annotation with the time its annotator measured: a point of the
/// project's measured learning curve (seconds per image against images labelled).
public struct AnnotationTime: Sendable, Equatable, Codable {
    public var imageId: Int64
    /// 1 for the image's first save; deletions count too, as in `AnnotationRecord.version`.
    public var version: Int
    /// The submitter's identity (`Holder.id`); nil for versions saved before it was recorded.
    public var annotatorId: String?
    public var annotator: String
    /// Active seconds the client measured; nil when it sent none.
    public var seconds: Double?
    /// Images of the project that had been labelled before this version was saved (by anyone): the x
    /// of the learning curve. An edit of an already-labelled image does not count it again.
    public var labelledIndex: Int
    public var source: AnnotationSource
    public var at: Date
}

extension Store {
    /// Every save of the project's annotations in the order they were made, imports and deletions left
    /// out (nobody timed those), with how many images were labelled before each.
    public func annotationTimes(project: Int64) async throws -> [AnnotationTime] {
        try await database.read { db in
            try Self.requireProject(db, project)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.imageId, h.source, h.who, h.at, h.annotator, h.activeSeconds FROM annotationHistory h
                    JOIN image i ON i.id = h.imageId WHERE i.projectId = ? ORDER BY h.id
                    """, arguments: [project])
            var labelled = Set<Int64>()
            var versions: [Int64: Int] = [:]
            var times: [AnnotationTime] = []
            for row in rows {
                let image: Int64 = row["imageId"]
                let source: AnnotationSource = row["source"]
                versions[image, default: 0] += 1
                if source == .deleted || source == .imported {
                    if source == .imported { labelled.insert(image) }
                    continue
                }
                times.append(
                    AnnotationTime(
                        imageId: image, version: versions[image] ?? 1, annotatorId: row["annotator"], annotator: row["who"],
                        seconds: row["activeSeconds"], labelledIndex: labelled.count - (labelled.contains(image) ? 1 : 0), source: source,
                        at: row["at"]))
                labelled.insert(image)
            }
            return times
        }
    }
}
