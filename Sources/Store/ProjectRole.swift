import GRDB

/// What a member may do in a project. Owners may do everything; a reviewer also annotates.
public enum ProjectRole: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case owner, annotator, reviewer

    public func permits(_ permission: ProjectPermission) -> Bool {
        switch permission {
        case .view, .annotate: true
        case .review: self == .owner || self == .reviewer
        case .manage: self == .owner
        }
    }
}

/// The kinds of project route, from reading to managing; each route names the one it needs.
public enum ProjectPermission: String, Sendable {
    /// The project, its images, annotations, history, status and live metrics.
    case view
    /// Open, submit, skip and delete annotations.
    case annotate
    /// Accept or return submitted images.
    case review
    /// Classes, adding images (uploads and imports), exports, members, deleting the project.
    case manage
}

/// A project's member as listed: the account and its role.
public struct ProjectMember: Codable, Sendable, Equatable, FetchableRecord {
    public var accountId: Int64
    public var name: String
    public var role: ProjectRole
}
