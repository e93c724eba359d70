import Foundation
import Formats
import GRDB
import Vision

// The store keeps objects as the formats' neutral `DatasetObject` (JSON: classIndex, x1, y1, x2, y2, mask);
// `AnnotationRules` holds the checks it makes on them.

/// A semantic label map as row-major runs of `[class index, length]`: the JSON shape of `Vision.LabelMap`.
public struct LabelRuns: Codable, Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var runs: [[Int]]
    public init(width: Int, height: Int, runs: [[Int]]) {
        self.width = width
        self.height = height
        self.runs = runs
    }
}

/// How an annotation came to be; kept in the history so the value of pre-labels can be measured.
public enum AnnotationSource: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Drawn by hand with no pre-label shown.
    case drawn
    /// Pre-labels accepted without change.
    case prelabelAccepted = "prelabel-accepted"
    /// Pre-labels shown and edited.
    case edited
    /// Read from an existing dataset (COCO, YOLO or label-map import).
    case imported
    /// The annotation was removed (history only).
    case deleted
}

/// The current annotation of an image: objects (detection, instance) or a label map (semantic).
public struct AnnotationRecord: Codable, Sendable, Equatable, FetchableRecord {
    public var imageId: Int64
    public var objects: [DatasetObject]
    public var labels: LabelRuns?
    public var source: AnnotationSource
    public var updatedBy: String
    public var updatedAt: Date
    /// How many times this image's annotation was saved or deleted: what an edit names to say which
    /// version it replaces, so a stale one is refused instead of silently overwriting.
    public var version: Int
    /// The annotator the image belongs to: who submitted it, unless they edited it as its reviewer.
    /// A returned image goes back to them.
    public var assignee: String? = nil
    /// nil for imported labels, which are not queued for review.
    public var reviewState: ReviewState? = nil
    public var reviewComment: String? = nil
    /// The name of the reviewer who last accepted or returned it.
    public var reviewedBy: String? = nil
}

/// One past version of an image's annotation: who saved what, when, and how.
public struct AnnotationHistoryEntry: Codable, Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var imageId: Int64
    public var objects: [DatasetObject]
    public var labels: LabelRuns?
    public var source: AnnotationSource
    public var who: String
    public var at: Date
    /// The submitter's identity (`Holder.id`); nil for versions saved before it was recorded.
    public var annotator: String? = nil
    /// Active annotation time the client measured for this version (pauses without input left out).
    public var activeSeconds: Double? = nil
}

/// What `saveAnnotation` committed, and the pre-label (if any) the live evaluation should score.
public struct SavedAnnotation: Sendable, Equatable {
    public var annotation: AnnotationRecord
    public var image: ImageRecord
    /// The latest pre-label shown for this image that has not been scored yet.
    public var unscoredPrediction: OpenedPrediction?
}
