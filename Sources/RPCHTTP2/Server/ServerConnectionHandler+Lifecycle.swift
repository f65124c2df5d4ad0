import NIOCore

/// Connection timers (preface, idle, maximum age) and the GOAWAY drain.
extension ServerConnectionHandler {
    func startTimers(context: ChannelHandlerContext) {
        let me = LoopBound(self, eventLoop: context.eventLoop)
        prefaceTimer = context.eventLoop.scheduleTask(in: .nanoseconds(config.prefaceTimeout.nanoseconds)) {
            me.run { handler in
                if handler.machine.prefaceTimedOut() { handler.close() }
            }
        }
        markIdle()
        let unusedAfter = config.prefaceTimeout + config.unusedConnectionGrace
        unusedTimer = context.eventLoop.scheduleTask(in: .nanoseconds(unusedAfter.nanoseconds)) {
            me.run { handler in
                // Connected, maybe greeted, never asked for anything: it only holds a slot.
                if !handler.everUsed { handler.beginDrain(gracePeriod: .zero) }
            }
        }
        if let age = config.maxConnectionAge {
            let jitter = Double.random(in: -config.maxConnectionAgeJitter...config.maxConnectionAgeJitter)
            let nanoseconds = max(0, Int64(Double(age.nanoseconds) * (1 + jitter)))
            ageTimer = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                me.run { $0.beginDrain(gracePeriod: $0.config.maxConnectionAgeGrace) }
            }
        }
    }

    /// The connection just became idle: arm the idle timer if it is not armed.
    func markIdle() {
        guard machine.isIdle, let context else { return }
        idleSince = .now()
        activity.markIdle()
        guard idleTimer == nil else { return }
        scheduleIdleCheck(after: config.idleTimeout, context: context)
    }

    /// A stream opened: the connection is busy.
    func markBusy() {
        idleSince = nil
        everUsed = true
        activity.markBusy()
    }

    private func scheduleIdleCheck(after delay: Duration, context: ChannelHandlerContext) {
        let me = LoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
            me.run { handler in
                handler.idleTimer = nil
                let idleFor = handler.idleSince.map { Duration.nanoseconds((NIODeadline.now() - $0).nanoseconds) }
                switch handler.machine.idleTimerFired(idleFor: idleFor, timeout: handler.config.idleTimeout) {
                case .drain: handler.beginDrain(gracePeriod: .zero)
                case .recheck(let after):
                    if let context = handler.context { handler.scheduleIdleCheck(after: after, context: context) }
                case .none: break
                }
            }
        }
    }

    /// GOAWAY, then close once open streams finish or `gracePeriod` passes.
    func beginDrain(gracePeriod: Duration) {
        guard let context, machine.beginDrain() else { return }
        session.submitGoaway(lastStreamID: session.lastProcessedStreamID, error: .noError)
        let me = LoopBound(self, eventLoop: context.eventLoop)
        graceTimer = context.eventLoop.scheduleTask(in: .nanoseconds(gracePeriod.nanoseconds)) {
            me.run { handler in
                handler.writeOutput(flush: true)
                handler.close()
            }
        }
        if output.reading { return }
        writeOutput(flush: true)
    }
}
