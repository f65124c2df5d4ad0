import NIOCore
import Logging
import RPC

/// Running method handlers and answering calls.
extension ServerConnectionHandler {
    /// The call is routed: set up its request queue and deadline.
    func acceptCall(_ stream: ServerStream) {
        guard let head = stream.head, let context else { return }
        let inbound = InboundMessageQueue(maxMessageSize: config.maxReceiveMessageSize, encoding: head.encoding)
        // Strong: the queue lives only as long as its stream (see ServerStream.connection).
        inbound.streamID = stream.id
        inbound.flowControl = self
        inbound.compressors = compressors
        stream.inbound = inbound
        if !stream.machine.requestEnded {
            session.setStreamWindowSize(streamID: stream.id, size: config.initialWindowSize)
        }
        if let timeout = head.timeout {
            let bound = LoopBound(stream, eventLoop: context.eventLoop)
            stream.deadlineTimer = context.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                bound.run { stream in stream.connection?.deadlineExpired(stream) }
            }
        }
    }

    private func makeContext(_ stream: ServerStream) -> ServerContext {
        let head = stream.head!
        return ServerContext(
            path: head.path, requestMetadata: head.metadata,
            deadline: head.timeout.map { ContinuousClock.now + $0 }, peer: peer,
            requestEncoding: head.compression, acceptedEncodings: head.acceptedEncodings)
    }

    /// Starts a handler task: on the connection's loop (no hop) or on the global executor.
    private func spawn(_ operation: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        if let taskExecutor {
            return Task.immediate(executorPreference: taskExecutor, operation: operation)
        }
        return Task(operation: operation)
    }

    func startStreamingHandler(_ stream: ServerStream) {
        guard case .streaming(let handler) = stream.method, let context else { return }
        let handle = ServerStreamHandle(bound: LoopBound(stream, eventLoop: context.eventLoop))
        let requests = RPCAsyncSequence<[UInt8]>(makeNext: { { try await handle.next() } })
        let responses = ServerResponseWriter(
            sendInitialMetadata: { try await handle.sendInitialMetadata($0) },
            write: { try await handle.write($0, compression: $1) })
        let callContext = makeContext(stream)
        stream.machine.handlerStarted()
        machine.handlerStarted()
        let task = spawn {
            let result: Result<Metadata, any Error>
            do {
                result = .success(try await handler(requests, responses, callContext))
            } catch {
                result = .failure(error)
            }
            if let stream = handle.bound.valueIfOnLoop {
                stream.connection?.streamingHandlerFinished(stream, result)
            } else {
                handle.bound.run { stream in stream.connection?.streamingHandlerFinished(stream, result) }
            }
        }
        if stream.machine.handlerActive { stream.task = task }
    }

    /// The client half-closed.
    func requestEnded(_ stream: ServerStream) {
        stream.inbound?.finish()
        var unaryMessages = 0
        var request: [UInt8] = []
        if stream.machine.phase == .awaitingRequest, let inbound = stream.inbound {
            polling: while true {
                switch inbound.poll() {
                case .message(let message):
                    unaryMessages += 1
                    request = message
                case .failed(let error):
                    fail(stream, with: ServerConnectionHandler.status(of: error))
                    return
                case .end, .empty:
                    break polling
                }
            }
        }
        switch stream.machine.requestEnded(unaryMessages: unaryMessages) {
        case .startUnary:
            startUnaryHandler(stream, request: request)
        case .failUnary(let error):
            stream.deadlineTimer?.cancel()
            session.submitResponse(streamID: stream.id, headers: ServerResponseHeaders.trailersOnly(error), hasBody: false)
        case .finishRequests, .none:
            break
        }
    }

    private func startUnaryHandler(_ stream: ServerStream, request: [UInt8]) {
        guard let method = stream.method, context != nil else { return }
        let callContext = makeContext(stream)
        stream.machine.handlerStarted()
        machine.handlerStarted()
        switch method {
        case .unary(let handler):
            runUnary(stream, handler, request: request, context: callContext)
        case .immediateUnary(let answer):
            // On the loop, inside the read: the answer is submitted now and goes out with this
            // batch's output, as a `.unary` handler's would that never suspends.
            let first: UnaryAnswer
            do {
                first = try answer(request, callContext)
            } catch {
                return unaryHandlerFinished(stream, .failure(error))
            }
            switch first {
            case .now(let response): unaryHandlerFinished(stream, .success(response))
            case .later(let rest): runUnary(stream, { _, _ in try await rest() }, request: [], context: callContext)
            }
        case .streaming:
            return
        }
    }

    /// Runs a unary handler (or what is left of an immediate one) in a task, then answers the
    /// call on the loop. The handler, request and context go in separately: one closure context
    /// for the task, none to bind them first.
    private func runUnary(
        _ stream: ServerStream, _ handler: @escaping @Sendable ([UInt8], ServerContext) async throws -> UnaryResponse<[UInt8]>,
        request: [UInt8], context callContext: ServerContext
    ) {
        guard let context else { return }
        let bound = LoopBound(stream, eventLoop: context.eventLoop)
        let task = spawn {
            let result: Result<UnaryResponse<[UInt8]>, any Error>
            do {
                result = .success(try await handler(request, callContext))
            } catch {
                result = .failure(error)
            }
            // On the loop (the default executor) no closure is made for the way back.
            if let stream = bound.valueIfOnLoop {
                stream.connection?.unaryHandlerFinished(stream, result)
            } else {
                bound.run { stream in stream.connection?.unaryHandlerFinished(stream, result) }
            }
        }
        if stream.machine.handlerActive { stream.task = task }
    }

    func unaryHandlerFinished(_ stream: ServerStream, _ result: Result<UnaryResponse<[UInt8]>, any Error>) {
        handlerDone(stream)
        switch result {
        case .success(let response):
            do {
                try framer.checkSendable(length: response.message.count)
            } catch {
                return respond(stream, error: error)
            }
            guard stream.machine.sendMessage() == .sendHeadersAndMessage else { return }
            let encoding = startResponse(stream, compression: response.compression)
            append(response.message, compression: response.compression, to: stream)
            stream.outbound.closed = true
            stream.trailers = ServerResponseHeaders.okTrailers(response.trailingMetadata)
            _ = stream.machine.finish()
            stream.deadlineTimer?.cancel()
            session.submitResponse(
                streamID: stream.id, headers: ServerResponseHeaders.response(response.initialMetadata, encoding: encoding),
                hasBody: true)
        case .failure(let error):
            respond(stream, error: handlerStatus(of: error, stream: stream))
        }
        requestFlush()
    }

    func streamingHandlerFinished(_ stream: ServerStream, _ result: Result<Metadata, any Error>) {
        handlerDone(stream)
        switch result {
        case .success(let trailing):
            switch stream.machine.finish() {
            case .trailersOnly:
                session.submitResponse(streamID: stream.id, headers: ServerResponseHeaders.trailersOnlyOK(trailing), hasBody: false)
            case .trailers:
                endResponse(stream, trailers: ServerResponseHeaders.okTrailers(trailing))
            case .none:
                break
            }
            stream.deadlineTimer?.cancel()
        case .failure(let error):
            respond(stream, error: handlerStatus(of: error, stream: stream))
        }
        requestFlush()
    }

    /// The status a handler's error becomes; an error that is not an `RPCError` (nor a
    /// cancellation) is logged here, since the client only learns INTERNAL.
    private func handlerStatus(of error: any Error, stream: ServerStream) -> RPCError {
        let status = ServerConnectionHandler.status(of: error)
        if !(error is RPCError), !(error is CancellationError) {
            config.logger.error(
                "handler failed with an error that is not an RPCError; answered INTERNAL",
                metadata: [
                    "rpc.method": "\(stream.head?.path ?? "?")",
                    "rpc.peer": "\(peer)",
                    "error": "\(String(reflecting: error))",
                ])
        }
        return status
    }

    private func handlerDone(_ stream: ServerStream) {
        stream.machine.handlerFinished()
        stream.task = nil
        machine.handlerFinished()
        markIdle()
    }

    /// Ends the call with an error status (Trailers-Only when no headers went out yet).
    func respond(_ stream: ServerStream, error: RPCError) {
        stream.deadlineTimer?.cancel()
        switch stream.machine.finish() {
        case .trailersOnly:
            session.submitResponse(streamID: stream.id, headers: ServerResponseHeaders.trailersOnly(error), hasBody: false)
        case .trailers:
            endResponse(stream, trailers: ServerResponseHeaders.errorTrailers(error))
        case .none:
            break
        }
    }

    private func endResponse(_ stream: ServerStream, trailers: HeaderBlock) {
        stream.trailers = trailers
        stream.outbound.closed = true
        if stream.outbound.deferred {
            stream.outbound.deferred = false
            session.resumeData(streamID: stream.id)
        }
    }

    /// The request body was bad (deframer error): answer with its status, stop the handler.
    func fail(_ stream: ServerStream, with error: RPCError) {
        stream.failure = error
        respond(stream, error: error)
        stream.task?.cancel()
        stream.inbound?.fail(error)
        requestFlush()
    }

    /// A handler writes a message (on the loop).
    func send(_ message: [UInt8], compression: MessageCompression, on stream: ServerStream) throws {
        try framer.checkSendable(length: message.count)
        switch stream.machine.sendMessage() {
        case .fail:
            throw stream.endedError
        case .sendHeadersAndMessage:
            let encoding = startResponse(stream, compression: compression)
            append(message, compression: compression, to: stream)
            session.submitResponse(streamID: stream.id, headers: ServerResponseHeaders.response([:], encoding: encoding), hasBody: true)
        case .sendMessage:
            append(message, compression: compression, to: stream)
            if stream.outbound.deferred {
                stream.outbound.deferred = false
                session.resumeData(streamID: stream.id)
            }
        }
        requestFlush()
    }

    func sendInitialMetadata(_ metadata: Metadata, on stream: ServerStream) {
        guard stream.machine.sendInitialMetadata() else { return }
        let encoding = startResponse(stream, compression: .automatic)
        session.submitResponse(streamID: stream.id, headers: ServerResponseHeaders.response(metadata, encoding: encoding), hasBody: true)
        requestFlush()
    }

    /// Fixes the call's response encoding as its headers go out (see `MessageCompression`).
    private func startResponse(_ stream: ServerStream, compression: MessageCompression) -> CompressionAlgorithm? {
        guard let head = stream.head else { return nil }
        stream.responseEncoding = compression.responseEncoding(request: head.compression, accepted: head.acceptedEncodings)
        return stream.responseEncoding
    }

    /// Queues one message, compressed when `compression` and the call's encoding say so.
    private func append(_ message: [UInt8], compression: MessageCompression, to stream: ServerStream) {
        guard let encoding = stream.responseEncoding, compression.compresses(length: message.count, encoding: encoding) else {
            return stream.outbound.append(message: message)
        }
        stream.outbound.append(message: compressors.compress(message, with: encoding), compressed: true)
    }

    /// The `grpc-timeout` passed: DEADLINE_EXCEEDED, then RST_STREAM(NO_ERROR) if the client is
    /// still sending, and cancel the handler.
    func deadlineExpired(_ stream: ServerStream) {
        let error = RPCError(code: .deadlineExceeded, message: "deadline exceeded")
        let rest = stream.outbound.restOfStartedMessage
        let trailersCanGo = session.sendWindow(streamID: stream.id) >= max(rest, 1)
        // RST_STREAM follows once the frame with END_STREAM is out (frameSent), and only when the
        // client is still sending; submitted now it could overtake the status.
        switch stream.machine.deadlineExpired(trailersCanGo: trailersCanGo) {
        case .trailersOnlyAndReset:
            // RST_STREAM follows once the HEADERS frame is out (frameSent), and only when the
            // client is still sending; submitted now it could overtake the status. NO_ERROR, as
            // gRPC core servers send after a status (RFC 9113 §8.1): grpcio clients read a
            // CANCEL that arrives with the status as CANCELLED, not DEADLINE_EXCEEDED.
            stream.resetCodeAfterResponse = .noError
            session.submitResponse(streamID: stream.id, headers: ServerResponseHeaders.trailersOnly(error), hasBody: false)
            stream.outbound.fail(error)
        case .trailersAndReset:
            // NO_ERROR after a status, for the same reason as above.
            stream.resetCodeAfterResponse = .noError
            // The client's deframer must see whole messages before the status.
            stream.outbound.abandon(throwing: error)
            endResponse(stream, trailers: ServerResponseHeaders.errorTrailers(error))
        case .reset:
            session.submitReset(streamID: stream.id, error: .cancel)
            stream.outbound.fail(error)
        case .none:
            return
        }
        stream.failure = error
        stream.task?.cancel()
        stream.inbound?.fail(error)
        requestFlush()
    }

    /// The status a handler's error becomes: an `RPCError` as is; anything else is INTERNAL
    /// without its text, so internal details never reach the client.
    static func status(of error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        if error is CancellationError { return RPCError(code: .cancelled, message: "the call was cancelled") }
        return RPCError(code: .internal, message: "internal error")
    }
}
