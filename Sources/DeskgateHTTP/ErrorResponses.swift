import DeskgateSystem

/// The answers the core gives on its own behalf.
enum ErrorResponses {
    static func forHandlerError(_ error: any Error, requestID: RequestID) -> Response {
        if let error = error as? HTTPError { return .error(error) }
        if let failure = error as? any OverBudgetFailure, let reason = failure.overBudgetReason {
            // A query stopped at its time budget: the server is fine, this request is too
            // costly as asked. A retry would take as long, so no Retry-After.
            Log.info("handler_over_budget", ["request_id": .string(requestID.description),
                                             "budget_ms": .int(failure.exceededBudgetMilliseconds ?? 0)])
            return .json(["error": "query_over_budget", "reason": .string(reason), "request_id": .string(requestID.description)],
                         status: .serviceUnavailable)
        }
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
