import Foundation
import GRDB

/// Where an image is in the labelling flow.
public enum ImageStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case unlabelled
    case labelled
    case skipped
}

/// An image of a project; the pixels live in a file the server named, never in the database.
public struct ImageRecord: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    public var projectId: Int64
    /// The server-chosen file name inside the project's image folder.
    public var fileName: String
    /// The name the image arrived with, for display only; never used as a path.
    public var originalName: String
    public var width: Int
    public var height: Int
    public var status: ImageStatus
    public var addedAt: Date
}

/// One page of a project's images and how many match in all.
public struct ImagePage: Sendable, Equatable {
    public var total: Int
    public var items: [ImageRecord]
}
