import CLinux
import DeskgateSystem
#if canImport(Glibc)
import Glibc
#endif

extension EventLoop {
    func handleEvents(_ events: UInt32, on connection: Connection) {
        var events = events
        if let tls = connection.tls, tls.readWantsWrite, events & Selector.writable != 0 {
            // OpenSSL stopped reading to send (a handshake flight): the socket takes it now.
            events |= Selector.readable
        }
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            // Both directions are gone: nothing we write can arrive.
            close(connection)
            return
        }
        if events & Selector.readable != 0 {
            guard readInput(connection) else { return }
            if case .lingering = connection.phase {
                if connection.peerClosed { close(connection) }
                return
            }
            if connection.peerClosed, case .streaming = connection.phase {
                // An event-stream client that closed its end is gone (it sends nothing on a
                // stream, and half-closing means it is done): free the stream now, not at the
                // next keep-alive write that would fail.
                close(connection)
                return
            }
            queueService(connection)
        }
        if events & Selector.writable != 0, self.connection(connection.fd) === connection {
            flush(connection)
        }
    }

    /// Reads what the socket has. Returns false if the connection was closed.
    func readInput(_ connection: Connection) -> Bool {
        if let tls = connection.tls { return readTLS(connection, tls) }
        while true {
            let count = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
            if count > 0 {
                if case .lingering = connection.phase { continue }
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                if count < scratch.count || connection.bufferedInput > configuration.maxBufferedInputBytes { return true }
            } else if count == 0 {
                connection.peerClosed = true
                return true
            } else {
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK { return true }
                if code == EINTR { continue }
                close(connection)
                return false
            }
        }
    }

    /// Serves `connection` later in this turn, after everything ready has been read.
    func queueService(_ connection: Connection) {
        guard !connection.queuedForService else { return }
        connection.queuedForService = true
        serviceQueue.append(connection)
    }

    /// Parses and dispatches what the queued connections have buffered (responses are
    /// written by `flushQueued`).
    func serveQueued() {
        for connection in serviceQueue where self.connection(connection.fd) === connection {
            parseRequests(connection)
        }
    }

    /// Writes the turn's responses in one burst, and re-arms interest and deadlines. Sending
    /// each response as it is made wakes a waiting client once per response; one burst at the
    /// end of the turn wakes it once (64 connections on two loops: 0.42 → 0.32 involuntary
    /// context switches per request, 14 → 10 µs of kernel time per request, +12 % req/s).
    /// A response waits at most one turn, and handlers do not block the loop.
    func flushQueued() {
        for connection in serviceQueue {
            connection.queuedForService = false
            if self.connection(connection.fd) === connection { flush(connection) }
        }
        serviceQueue.removeAll(keepingCapacity: true)
    }

    private func parseRequests(_ connection: Connection) {
        while case .reading = connection.phase, !connection.closeAfterFlush {
            switch connection.parser.parse(connection.input, from: &connection.readIndex) {
            case .needMore:
                if connection.peerClosed && !connection.parser.isBetweenRequests {
                    // The client ended its side mid-request: the request can never complete.
                    connection.closeAfterFlush = true
                }
                connection.compactInput()
                return
            case .continueExpected:
                connection.output.append(contentsOf: ResponseEncoder.continueResponse)
            case .request(let head, let body):
                dispatch(head, body: body, on: connection)
            case .failure(let error):
                refuse(connection, error)
            }
        }
        connection.compactInput()
    }

    func refuse(_ connection: Connection, _ error: HTTPError) {
        let info = RequestInfo(requestID: requestIDs.next(), method: "-", path: "-", startedAt: now,
                               keepAlive: false, version: .http11)
        connection.closeAfterFlush = true
        write(Response.error(error), info: info, on: connection)
    }

    private func dispatch(_ head: consuming RequestHead, body: [UInt8], on connection: Connection) {
        connection.serial += 1
        let keepAlive = head.keepAlive, version = head.version
        var request = head.makeRequest(body: body)
        request.requestID = requestIDs.next()
        request.remoteAddress = connection.remote
        var info = RequestInfo(requestID: request.requestID, method: request.method, path: request.path,
                               startedAt: now, keepAlive: keepAlive, version: version)
        let context = RequestContext(requestID: request.requestID, ref: connection.ref(), inbox: inbox, workers: workers)
        let reply = router.reply(to: &request, context: context, route: &info.route)
        switch reply.kind {
        case .response(let response):
            write(response, info: info, on: connection)
        case .deferred:
            connection.phase = .awaiting(info)
            connection.deadline = .none
        case .stream(let start):
            startStream(start, info: info, on: connection)
        }
    }

    /// Encodes a complete response and returns the connection to reading.
    func write(_ response: Response, info: RequestInfo, on connection: Connection) {
        let keepAlive = info.keepAlive && !connection.closeAfterFlush && !draining
        let framing = ResponseEncoder.Framing(keepAlive: keepAlive, isHEAD: info.isHEAD, requestID: info.requestID,
                                              http10KeepAlive: keepAlive && info.version == .http10,
                                              hsts: connection.tls != nil)
        ResponseEncoder.encode(response, framing: framing, date: dateCache.line, into: &connection.output)
        let finished = MonotonicClock.nanoseconds()
        metrics.record(route: info.route, status: response.status.code, startedAt: info.startedAt, finishedAt: finished)
        accessLog.record(.init(requestID: info.requestID, method: info.method, path: info.path,
                               status: response.status.code, bytes: response.body.count,
                               startedAt: info.startedAt, remote: connection.remote), now: finished)
        if !keepAlive { connection.closeAfterFlush = true }
        connection.phase = .reading
        connection.deadline = .idle(now + configuration.idleTimeoutNanoseconds)
    }

    private func startStream(_ start: StreamStart, info: RequestInfo, on connection: Connection) {
        // HTTP/1.0 has no chunked coding: the stream ends when the connection does.
        let chunked = info.version == .http11
        let keepAlive = info.keepAlive && chunked && !draining
        let framing = ResponseEncoder.Framing(keepAlive: keepAlive, isHEAD: false, requestID: info.requestID,
                                              http10KeepAlive: false, hsts: connection.tls != nil)
        ResponseEncoder.encodeStreamHead(status: start.status, headers: start.headers, chunked: chunked,
                                         framing: framing, date: dateCache.line, into: &connection.output)
        let finished = MonotonicClock.nanoseconds()
        metrics.record(route: info.route, status: start.status.code, startedAt: info.startedAt, finishedAt: finished)
        metrics.openStreams.add(0, 1)
        accessLog.record(.init(requestID: info.requestID, method: info.method, path: info.path,
                               status: start.status.code, bytes: 0, startedAt: info.startedAt,
                               remote: connection.remote), now: finished)
        if !keepAlive { connection.closeAfterFlush = true }
        connection.phase = .streaming(info, start.stream, chunked: chunked)
        connection.deadline = .none
        start.start(start.stream)
    }

    func endStream(_ connection: Connection) {
        guard case .streaming(_, let stream, let chunked) = connection.phase else { return }
        stream.markClosed()
        metrics.openStreams.add(0, -1)
        if chunked { connection.output.append(contentsOf: ResponseEncoder.lastChunk) }
        connection.phase = .reading
        connection.deadline = .idle(now + configuration.idleTimeoutNanoseconds)
    }

    /// Writes as much pending output as the socket takes, then decides what the connection waits for.
    func flush(_ connection: Connection) {
        if let tls = connection.tls {
            guard writeTLS(connection, tls) else { return }
        } else {
            guard writePlain(connection) else { return }
        }
        if !connection.hasPendingOutput {
            connection.output.removeAll(keepingCapacity: connection.output.capacity <= 256 * 1024)
            connection.outputIndex = 0
            if connection.closeAfterFlush, case .reading = connection.phase {
                linger(connection)
                return
            }
        }
        if case .reading = connection.phase, connection.peerClosed, connection.isIdle {
            close(connection)
            return
        }
        updateDeadline(connection)
        updateInterest(connection)
    }

    /// Sends pending output on a plaintext connection. Returns false if the connection was closed.
    @inline(__always)
    private func writePlain(_ connection: Connection) -> Bool {
        while connection.hasPendingOutput {
            let sent = connection.output.withUnsafeBytes { raw in
                send(connection.fd, raw.baseAddress! + connection.outputIndex,
                     raw.count - connection.outputIndex, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.outputIndex += sent
                connection.lastWriteProgress = now
            } else {
                let code = errno
                if sent < 0 && code == EINTR { continue }
                if sent < 0 && (code == EAGAIN || code == EWOULDBLOCK) { return true }
                close(connection)
                return false
            }
        }
        return true
    }

    private func linger(_ connection: Connection) {
        if connection.peerClosed {
            close(connection)
            return
        }
        if let tls = connection.tls {
            // Whatever the client still sends is discarded unread: no need to decrypt it.
            tls.sendCloseNotify()
            connection.tls = nil
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        connection.deadline = .linger(now + 2_000_000_000)
        connection.input = []
        connection.readIndex = 0
        updateInterest(connection)
    }

    private func updateDeadline(_ connection: Connection) {
        guard case .reading = connection.phase else { return }
        if connection.parser.isBetweenRequests && connection.bufferedInput == 0 {
            if case .idle = connection.deadline { return }
            connection.deadline = .idle(now + configuration.idleTimeoutNanoseconds)
        } else {
            // One deadline for the whole request, not reset by progress: a client that drips
            // a byte at a time cannot hold the connection for ever.
            if case .request = connection.deadline { return }
            connection.deadline = .request(now + configuration.headerTimeoutNanoseconds)
        }
    }

    private func updateInterest(_ connection: Connection) {
        var wanted: UInt32 = 0
        let reading: Bool
        switch connection.phase {
        case .lingering: reading = true
        case .reading: reading = !connection.closeAfterFlush
        case .awaiting, .streaming: reading = connection.bufferedInput < configuration.maxBufferedInputBytes
        }
        // Back-pressure: stop reading from a client that does not read our responses.
        if reading && !connection.peerClosed && connection.output.count - connection.outputIndex < configuration.maxBufferedOutputBytes {
            wanted |= Selector.readable
        }
        if connection.hasPendingOutput { wanted |= Selector.writable }
        if let tls = connection.tls {
            if tls.readWantsWrite { wanted |= Selector.writable }
            if tls.writeWantsRead { wanted |= Selector.readable }
            notePendingTLS(connection, tls, wanted: wanted)
        }
        if wanted != connection.interest {
            connection.interest = wanted
            selector.reregister(connection.fd, interest: wanted)
        }
    }

    /// Closes connections past their deadline (checked a few times a second, not per event).
    func sweepDeadlines() {
        for case let connection? in connections {
            if connection.hasPendingOutput && now - connection.lastWriteProgress > configuration.idleTimeoutNanoseconds {
                close(connection)
                continue
            }
            switch connection.deadline {
            case .none:
                continue
            case .idle(let at), .linger(let at):
                if now >= at { close(connection) }
            case .request(let at):
                guard now >= at else { continue }
                if case .reading = connection.phase {
                    connection.deadline = .none
                    refuse(connection, HTTPError(.requestTimeout, "request not received in time"))
                    flush(connection)
                } else {
                    close(connection)
                }
            }
        }
    }
}
