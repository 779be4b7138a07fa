/**
 * The contract's session, models and jobs section served by the session
 * and job services. A SessionError becomes an error reply with its code;
 * anything else thrown is an internal failure whose message is passed on.
 */
import { sessionCalls, sessionStreams } from '../shared/contract/sessionApi';
import { err, resultOf, type Err, type Result } from '../shared/result';
import { defineContract } from '../shared/rpc/contractDef';
import type { ServiceHandlers } from '../shared/rpc/server';
import type { CancelSignal } from '../shared/rpc/cancelSignal';
import type { JobService } from './jobService';
import { SessionError } from './sessionError';
import type { SessionService } from './sessionService';

/** The session calls and streams as a contract of their own (for typing and tests). */
export const sessionContract = defineContract({ calls: sessionCalls, streams: sessionStreams });
export type SessionContract = typeof sessionContract;

function failure(thrown: unknown): Err {
  if (thrown instanceof SessionError) return err(thrown.code, thrown.message);
  return err('internal', thrown instanceof Error ? thrown.message : String(thrown), thrown instanceof Error ? thrown.stack : undefined);
}

const attempt = <T>(run: () => T | Promise<T>): Promise<Result<T>> => resultOf(run, failure);

/** Resolves when the stream is cancelled, after running `off`. */
function untilCancelled(signal: CancelSignal, off: () => void): Promise<void> {
  return new Promise((resolve) => {
    signal.onCancel(() => {
      off();
      resolve();
    });
  });
}

export function createSessionHandlers(sessions: SessionService, jobs: JobService): ServiceHandlers<SessionContract> {
  return {
    calls: {
      'session.defaults': () => attempt(() => sessions.defaults()),
      'session.start': ({ seriesId, init, settings, resume }) => attempt(() => sessions.start({ seriesId, init: init ?? 'default', settings, resume: resume === true })),
      'session.status': ({ seriesId }) => attempt(() => sessions.status(seriesId)),
      'session.focus': ({ sessionId, k }) => attempt(() => sessions.focus(sessionId, k)),
      'session.pause': ({ sessionId }) => attempt(() => sessions.control(sessionId, 'pause')),
      'session.resume': ({ sessionId }) => attempt(() => sessions.control(sessionId, 'resume')),
      'session.cancel': ({ sessionId }) => attempt(() => sessions.control(sessionId, 'cancel')),
      'session.reset': ({ sessionId }) => attempt(() => sessions.control(sessionId, 'reset')),
      'session.close': ({ sessionId }) => attempt(() => sessions.close(sessionId)),
      'models.list': () => attempt(() => sessions.models()),
      'jobs.list': () => attempt(() => jobs.list()),
      'jobs.startPretrain': (params) => attempt(() => jobs.startPretrain(params)),
      'jobs.cancel': ({ jobId }) => attempt(() => jobs.cancel(jobId)),
      'jobs.resume': ({ jobId }) => attempt(() => jobs.resume(jobId)),
    },
    streams: {
      'session.events': ({ seriesId }, emit, signal) => untilCancelled(signal, sessions.subscribe(seriesId, emit)),
      'jobs.updates': (_params, emit, signal) => untilCancelled(signal, jobs.onUpdate(emit)),
    },
  };
}
