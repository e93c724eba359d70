import Foundation
import Hummingbird
import Store
import Vision

/// A project as the API shows it: settings, classes, progress and the caller's role.
struct ProjectJSON: ResponseCodable {
    var id: Int64
    var name: String
    var task: VisionTask
    var createdAt: Date
    var classes: [ClassJSON]
    var counts: ImageCounts
    /// The caller's role in the project; absent for a server admin who is not a member.
    var role: ProjectRole?

    init(_ summary: ProjectSummary, role: ProjectRole? = nil) {
        self.role = role
        id = summary.project.id
        name = summary.project.name
        task = summary.project.task
        createdAt = summary.project.createdAt
        classes = summary.classes.map(ClassJSON.init)
        counts = summary.counts
    }
}

struct ClassJSON: ResponseCodable {
    var index: Int
    var name: String
    var colour: String

    init(_ labelClass: LabelClass) {
        index = labelClass.index
        name = labelClass.name
        colour = labelClass.colour
    }
}

struct ProjectListJSON: ResponseCodable {
    var projects: [ProjectJSON]
}

struct ClassListJSON: ResponseCodable {
    var classes: [ClassJSON]
}

struct CreateProjectRequest: Decodable {
    var name: String
    var task: VisionTask
    var classes: [CreateClassRequest]?
}

struct CreateClassRequest: Decodable {
    var name: String
    var colour: String?
}

extension ProjectSpec {
    init(_ summary: ProjectSummary) {
        self.init(
            id: summary.project.id, name: summary.project.name, task: summary.project.task,
            classNames: summary.classes.map(\.name))
    }
}
