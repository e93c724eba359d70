import Foundation
import Vision

/// Why a store operation was refused; the description is written for the person who sent the input.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    case projectNotFound(Int64)
    case imageNotFound(project: Int64, image: Int64)
    case annotationNotFound(image: Int64)
    /// A project or class name that is already taken (`kind` is "project" or "class").
    case duplicateName(kind: String, name: String)
    case invalidName(kind: String, reason: String)
    case invalidColour(String)
    /// An object names a class index the project does not have.
    case unknownClass(object: Int, classIndex: Int, classCount: Int)
    /// Non-finite coordinates or a box with no area.
    case invalidBox(object: Int, reason: String)
    /// A box reaching outside the image by more than the clipping tolerance.
    case boxOutOfRange(object: Int, reason: String)
    /// A mask that does not describe the image (wrong size, runs not covering it, empty).
    case invalidMask(object: Int, reason: String)
    /// A label map that does not describe the image or names unknown classes.
    case invalidLabelMap(reason: String)
    /// Labels of a kind the project's task does not use (masks in detection, objects in semantic).
    case wrongTask(task: VisionTask, reason: String)
    case tooManyObjects(count: Int, limit: Int)
    /// Skipping an image that already has an annotation would hide a human label.
    case alreadyLabelled(image: Int64)
    /// An edit of a version that is no longer current: someone saved or deleted in between.
    case staleVersion(image: Int64, expected: Int, current: Int)
    case invalidPaging(reason: String)
    /// Someone else holds an unexpired lease on the image (they are labelling or reviewing it).
    case leasedByOther(image: Int64, holder: String, until: Date)
    /// Active seconds that are not a finite number in 0...86400.
    case invalidActiveSeconds(Double)
    /// A submit naming an opening that is not one of this image's (from another image, or made up).
    case unknownOpening(image: Int64, opening: Int64)
    /// A review decision that cannot be recorded as sent (no comment on a return, too long a comment).
    case invalidReview(reason: String)
    /// A reviewer deciding on an image they annotated themselves: a second pair of eyes must.
    case ownWork(image: Int64)
    case accountNotFound(Int64)
    /// A member to add names no account.
    case accountNameNotFound(String)
    case invalidPassword(String)
    /// The password library failed (out of memory); the server's fault, not the input's.
    case passwordHashFailed(String)
    /// A change that would leave the project without an owner.
    case lastOwner(project: Int64)
    /// An admin tried to disable their own account (another admin must, so the server keeps one).
    case cannotDisableSelf

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database '\(path)': \(reason)"
        case .projectNotFound(let id):
            "project \(id) does not exist"
        case .imageNotFound(let project, let image):
            "image \(image) does not exist in project \(project)"
        case .annotationNotFound(let image):
            "image \(image) has no annotation"
        case .duplicateName(let kind, let name):
            "a \(kind) named '\(name)' already exists"
        case .invalidName(let kind, let reason):
            "invalid \(kind) name: \(reason)"
        case .invalidColour(let colour):
            "invalid colour '\(colour)': expected #rrggbb"
        case .unknownClass(let object, let classIndex, let classCount):
            "object \(object): unknown class index \(classIndex) (the project has classes 0..<\(classCount))"
        case .invalidBox(let object, let reason):
            "object \(object): invalid box: \(reason)"
        case .boxOutOfRange(let object, let reason):
            "object \(object): box outside the image: \(reason)"
        case .invalidMask(let object, let reason):
            "object \(object): invalid mask: \(reason)"
        case .invalidLabelMap(let reason):
            "invalid label map: \(reason)"
        case .wrongTask(let task, let reason):
            "not a \(task.rawValue) annotation: \(reason)"
        case .tooManyObjects(let count, let limit):
            "\(count) objects in one annotation; the limit is \(limit)"
        case .staleVersion(let image, let expected, let current):
            "image \(image) was changed by someone else: this edit is of version \(expected), the current one is \(current);"
                + " reload it and edit again"
        case .alreadyLabelled(let image):
            "image \(image) is labelled; delete its annotation before skipping it"
        case .invalidPaging(let reason):
            "invalid paging: \(reason)"
        case .leasedByOther(let image, let holder, let until):
            "image \(image) is leased to \(holder) until \(ISO8601DateFormatter().string(from: until)): they are working on it;"
                + " ask for the next image instead"
        case .invalidActiveSeconds(let seconds):
            "activeSeconds must be a finite number of seconds in 0...86400, got \(seconds)"
        case .unknownOpening(let image, let opening):
            "opening \(opening) is not an opening of image \(image); send the `opening` its open returned, or none"
        case .invalidReview(let reason):
            "invalid review: \(reason)"
        case .ownWork(let image):
            "image \(image) is your own annotation: someone else reviews it (the review queue skips it for you)"
        case .accountNotFound(let id):
            "account \(id) does not exist"
        case .accountNameNotFound(let name):
            "no account is named '\(name)'"
        case .invalidPassword(let reason):
            "invalid password: \(reason)"
        case .passwordHashFailed(let reason):
            "hashing the password failed: \(reason)"
        case .lastOwner(let project):
            "project \(project) would have no owner left; make another member owner first"
        case .cannotDisableSelf:
            "you cannot disable your own account; another admin can"
        }
    }
}
