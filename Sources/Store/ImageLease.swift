import Foundation
import GRDB

/// What a lease is for: labelling an image, or reviewing its submitted annotation.
public enum LeaseKind: String, Codable, Sendable, DatabaseValueConvertible {
    case annotate
    case review
}

/// One person's claim on an image until `expiresAt`: nobody else is handed it by `next` or
/// `review/next`, and nobody else may submit it while it is unlabelled. Expired leases count as absent.
public struct ImageLease: Codable, Sendable, Equatable, FetchableRecord {
    public var imageId: Int64
    public var projectId: Int64
    public var kind: LeaseKind
    /// The holder's identity (the server's `Annotator.id`): what every check compares.
    public var holder: String
    /// The holder's name, for messages ("leased by ana").
    public var holderName: String
    public var expiresAt: Date
}

/// Who is asking, as the store records them: a stable id and a display name.
public struct Holder: Sendable, Equatable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// An image handed out with its lease; `returned` is set when a reviewer sent it back to its annotator.
public struct LeasedImage: Sendable, Equatable {
    public var image: ImageRecord
    public var lease: ImageLease
    public var returned: ReviewNote?
}

/// A reviewer's last word on an image's annotation.
public struct ReviewNote: Sendable, Equatable, Codable {
    public var comment: String
    public var reviewer: String
    public init(comment: String, reviewer: String) {
        self.comment = comment
        self.reviewer = reviewer
    }
}

/// Where an annotation is in review: submitted and waiting, accepted, or returned to its annotator.
/// Imported labels have none (they are not queued).
public enum ReviewState: String, Codable, Sendable, DatabaseValueConvertible {
    case pending
    case accepted
    case returned
}

/// What a reviewer decides about an annotation.
public enum ReviewDecision: String, Codable, Sendable, DatabaseValueConvertible {
    case accept
    case `return`
}
