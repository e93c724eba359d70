import Formats
import Foundation
import Hummingbird
import Store
import Vision

/// The one place where errors from anywhere below become HTTP statuses and reasons.
enum ErrorMapping {
    /// The API error for `error`; nil for errors that are the server's fault (reported as 500).
    static func apiError(for error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as StoreError:
            return APIError(status(of: error), error.description)
        case let error as ImageError:
            return APIError(status(of: error), error.description)
        case let error as FormatError:
            // A dataset file that cannot be read is the request's fault: it named that file.
            return APIError(.unprocessableContent, error.description)
        case let error as COCORLE.RLEError:
            return APIError(.unprocessableContent, error.description)
        case let error as PolygonRaster.PolygonError:
            return APIError(.unprocessableContent, error.description)
        case let error as DecodingError:
            return APIError(.badRequest, "malformed JSON: \(describe(error))")
        case let error as TrainingServiceError:
            switch error {
            case .notReady: return APIError(.conflict, error.description)
            case .unavailable: return APIError(.serviceUnavailable, error.description)
            }
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            return nil
        }
    }

    static func status(of error: StoreError) -> HTTPResponse.Status {
        switch error {
        case .projectNotFound, .imageNotFound, .annotationNotFound, .accountNotFound: .notFound
        case .duplicateName, .alreadyLabelled, .staleVersion, .leasedByOther, .lastOwner, .cannotDisableSelf, .ownWork: .conflict
        case .invalidName, .invalidColour, .unknownClass, .invalidBox, .boxOutOfRange, .tooManyObjects, .invalidMask,
            .invalidLabelMap, .wrongTask, .invalidReview, .accountNameNotFound, .invalidPassword, .unknownOpening:
            .unprocessableContent
        case .invalidPaging, .invalidActiveSeconds: .badRequest
        case .cannotOpen, .passwordHashFailed: .internalServerError
        }
    }

    static func status(of error: ImageError) -> HTTPResponse.Status {
        switch error {
        case .emptyFile, .unsupportedFormat: .unsupportedMediaType
        case .corrupt, .unreadable: .unprocessableContent
        case .tooLarge, .outOfMemory: .contentTooLarge
        case .encodingFailed: .internalServerError
        }
    }

    /// Where in the document the JSON went wrong and how, worded as the format readers word it.
    static func describe(_ error: DecodingError) -> String { FormatError(error, format: .json).description }
}
