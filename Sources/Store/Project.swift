import Foundation
import GRDB
import Vision

/// A project's task is stored as its raw value in `project.task`; fixed when the project is created.
extension VisionTask: DatabaseValueConvertible {}

/// A labelling project: one image set, one class list, one live model.
public struct Project: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    public var name: String
    public var task: VisionTask
    public var createdAt: Date
}

/// A class a project's objects can have; `index` is what annotations and models use.
public struct LabelClass: Codable, Sendable, Equatable, FetchableRecord {
    public var projectId: Int64
    public var index: Int
    public var name: String
    /// `#rrggbb`, the colour the UI draws this class in.
    public var colour: String
}

/// A class to create: a name and, optionally, a colour (a palette colour is chosen when nil).
public struct NewClass: Sendable, Equatable {
    public var name: String
    public var colour: String?
    public init(name: String, colour: String? = nil) {
        self.name = name
        self.colour = colour
    }
}

/// How far labelling of a project has come.
public struct ImageCounts: Codable, Sendable, Equatable {
    public var total: Int
    public var unlabelled: Int
    public var labelled: Int
    public var skipped: Int
    public init(total: Int, unlabelled: Int, labelled: Int, skipped: Int) {
        self.total = total
        self.unlabelled = unlabelled
        self.labelled = labelled
        self.skipped = skipped
    }
}

/// A project with its classes and progress, as one read returns them.
public struct ProjectSummary: Sendable, Equatable {
    public var project: Project
    public var classes: [LabelClass]
    public var counts: ImageCounts
}
