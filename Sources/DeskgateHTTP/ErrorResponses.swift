import DeskgateSystem

/// The answers the core gives on its own behalf.
enum ErrorResponses {
    static func forHandlerError(_ error: any Error, requestID: RequestID) -> Response {
        if let error = error as? HTTPError { return .error(error) }
        if let failure = error as? any TransientFailure, failure.isTransient {
            Log.error("handler_unavailable", ["request_id": .string(requestID.description), "error": .string(String(describing: error))])
            return .temporarilyUnavailable(requestID: requestID)
        }
        // The detail goes to the log under the request id, never to the client.
        Log.error("handler_failed", ["request_id": .string(requestID.description), "error": .string(String(describing: error))])
        return internalError(requestID: requestID)
    }

    static func internalError(requestID: RequestID) -> Response {
        .json(["error": "internal_error", "request_id": .string(requestID.description)], status: .internalServerError)
    }
}
