package io.fetchq.http;

import io.fetchq.http.ApiKeys.Principal;
import io.fetchq.http.ApiKeys.Scope;
import io.fetchq.store.ScrapeJobRecord;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live updates: {@code GET /jobs/{id}/events} (SSE) and {@code WS /ws/jobs/{id}} stream one job's
 * {@code url.finished} events and end after its {@code job.finished}; {@code WS /ws} streams every job the
 * key may see, until the client leaves. Browsers cannot set headers on these, so with API keys they may
 * pass the key as {@code ?access_token=}.
 */
final class LiveController {
    private static final long KEEPALIVE_MS = 15_000;

    private final LiveUpdates live;
    private final JobsController jobs;
    private final Auth auth;
    private final Map<String, LiveUpdates.Watcher> sockets = new ConcurrentHashMap<>();

    LiveController(LiveUpdates live, JobsController jobs, Auth auth) {
        this.live = live;
        this.jobs = jobs;
        this.auth = auth;
    }

    /**
     * Streams the job's events on this request's (virtual) thread until the job finishes or the client
     * leaves; a comment every 15 s keeps proxies from closing it and tells us when the client is gone.
     */
    void sse(Context ctx) throws IOException {
        ScrapeJobRecord job = jobs.visibleJob(ctx, Scope.READ);
        Principal who = Auth.require(ctx, Scope.READ);
        String jobId = job.id();
        LiveUpdates.Watcher w = live.watch(jobId, who.ownerFilter());
        try {
            ctx.status(200).contentType("text/event-stream; charset=utf-8")
                    .header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            // the stream ends after job.finished; an EventSource that does not close itself then retries slowly
            out.write((": fetchq live updates of job " + jobId + "\nretry: 60000\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Optional<LiveUpdates.Message> finished = live.finishedAlready(jobId);
            if (finished.isPresent()) {
                send(out, finished.get());
                return;
            }
            while (!w.overflowed) {
                LiveUpdates.Message m = w.next(KEEPALIVE_MS);
                if (m == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                send(out, m);
                if (m.endsJob()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client left
        } finally {
            live.unwatch(w);
        }
    }

    private static void send(OutputStream out, LiveUpdates.Message m) throws IOException {
        out.write(("event: " + m.kind().wireName() + "\ndata: " + m.json() + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** {@code WS /ws/jobs/{id}} when {@code oneJob}, else {@code WS /ws}. */
    void socket(WsConfig ws, boolean oneJob) {
        ws.onConnect(ctx -> {
            Principal who = auth.principalFor(ctx.header("Authorization"), ctx.queryParam("access_token"));
            String jobId = null;
            if (oneJob) {
                jobId = ctx.pathParam("id");
                ScrapeJobRecord job = live.job(jobId);
                if (job == null || (who.ownerFilter() != null && !who.ownerFilter().equals(job.owner()))) {
                    ctx.closeSession(4404, "no job " + Params.clip(jobId));
                    return;
                }
            }
            LiveUpdates.Watcher w = live.watch(jobId, who.ownerFilter());
            sockets.put(ctx.sessionId, w);
            String watched = jobId;
            Thread.ofVirtual().name("fetchq-ws-" + ctx.sessionId).start(() -> pump(ctx, w, watched));
        });
        ws.onClose(ctx -> forget(ctx.sessionId));
        ws.onError(ctx -> forget(ctx.sessionId));
    }

    private void forget(String sessionId) {
        LiveUpdates.Watcher w = sockets.remove(sessionId);
        if (w != null) {
            live.unwatch(w);
        }
    }

    private void pump(WsContext ctx, LiveUpdates.Watcher w, String jobId) {
        try {
            Optional<LiveUpdates.Message> finished = jobId == null ? Optional.empty() : live.finishedAlready(jobId);
            if (finished.isPresent()) {
                ctx.send(finished.get().json());
                ctx.closeSession(1000, "job finished");
                return;
            }
            while (sockets.get(ctx.sessionId) == w && ctx.session.isOpen()) {
                if (w.overflowed) {
                    ctx.closeSession(1008, "too far behind; reconnect and re-read the job");
                    return;
                }
                LiveUpdates.Message m = w.next(KEEPALIVE_MS);
                if (m == null) {
                    continue;
                }
                ctx.send(m.json());
                if (jobId != null && m.endsJob()) {
                    ctx.closeSession(1000, "job finished");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the client went away mid-send; onClose cleans up
        } finally {
            sockets.remove(ctx.sessionId, w);
            live.unwatch(w);
        }
    }
}
